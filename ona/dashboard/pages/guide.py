"""How to read this: what every number on the dashboard means, and what it does not."""

from __future__ import annotations

import dash
from dash import dcc, html

#: One plain sentence per measure a user sees; the pages use them for hover help too.
EXPLAIN = {
    "visibility": "How visible the person is outside their own team and to senior leaders, as the "
                  "share of the organisation less visible than them (0-100). About visibility, not worth.",
    "visibility_score": "The number behind visibility: outside contacts counted by how much they work "
                        "together, senior leaders they work with, and people outside the team who name them.",
    "confidence": "How often the answer holds when the analysis is rerun on resampled data: 1 = always, "
                  "0.5 = it rests on a few messages.",
    "silo_confidence": "How often the department is flagged a silo when the analysis is rerun on "
                       "resampled data.",
    "openness": "How much of the department's collaboration goes outside it, compared with what its size "
                "and activity would give if people mixed at random (1 = as much as that, 0.2 = a fifth).",
    "ei_index": "Krackhardt's E-I index: -1 = all ties inside the department, +1 = all outside.",
    "ei_expected": "The E-I index the department would have if people mixed at random.",
    "ei_index_weighted": "The E-I index counting how much people work together, not just who.",
    "ei_expected_weighted": "The weighted E-I index the department would have if people mixed at random.",
    "insularity": "Share of the department's collaboration that stays inside it.",
    "outside_share": "Share of the members with anyone outside the department.",
    "silo": "Far more closed than the other departments: less than half as open as the typical one, "
            "beyond what chance would give.",
    "silo_z": "How many spreads below the other departments it is (more negative = more closed).",
    "stability": "How often the tribe's members stay together when tribes are found again with other "
                 "random starts (1 = always).",
    "degree": "How many people they work with (above chance).",
    "strength": "How much they work with others in all (a one-to-one email weighs 1, a 30-minute "
                "one-to-one meeting 1).",
    "betweenness": "How much the shortest routes between other people run through them: brokerage.",
    "pagerank": "Being sought out by people who are themselves sought out.",
    "constraint": "Low = their contacts do not know each other (brokerage opportunities); 1 = none.",
    "cross_department_ties": "People in other departments they work with.",
    "outside_team_ties": "People outside their own team (and manager and reports) they work with.",
    "leader_ties": "Senior leaders they work with directly.",
    "leader_reach": "Senior leaders they work with, or reach through one close colleague.",
    "recognition": "People who say in the survey that they know their work or advocate for them.",
    "advocates": "Panel members who said in the survey that they advocate for the candidate.",
    "coverage": "Share of the panel who know the candidate at all.",
    "strong_ties": "Panel members who work closely with the candidate.",
    "knows": "Panel members with any contact with the candidate.",
    "role": "boundary spanner (brokers between groups), central connector (many rely on them), "
            "peripheral (at the edge) or member.",
    "performance": "The rating in the people file.",
    "share": "Their part of the group's collaboration with people outside it.",
    "links_out": "The people who carry the department's collaboration with the rest of the "
                 "organisation, with each one's share of it (the shares add up to 100%).",
    "size": "How many people.",
    "people": "How many people.",
    "departments": "The departments the tribe's members come from, largest first.",
    "internal_share": "Share of the tribe's collaboration that stays inside it.",
    "unstable": "The tribe's members do not stay together when tribes are found again with other "
                "random starts: treat it as a loose group, not a fact.",
    "bridges": "The people who carry the tribe's collaboration with the rest.",
    "tribes": "The tribes the department's members work in.",
    "nmi": "How closely the tribes follow the departments (normalised mutual information): 1 = the "
           "tribes are the departments, 0 = no relation.",
    "modularity": "How clearly the organisation splits into tribes: about 0.3 and above is a clear "
                  "split; near 0, no real groups.",
    "weak": "Panel members with some contact with the candidate, but not working closely.",
    "none": "Panel members with no contact with the candidate in the data.",
    "advocates_for": "Candidates this panel member advocates for (said so in the survey).",
    "slate_known_share": "Share of the slate this panel member knows at all.",
    "blind_spots": "Candidates this panel member has no contact with.",
    "no_advocate": "Nobody on the panel said they advocate for the candidate.",
    "single_advocate": "One panel member advocates for the candidate: one voice, fragile if absent.",
    "flag_rests_on_non_answers": "The flag could change: some panel members did not answer the survey.",
    "manager_conversation": "Whether the candidate has discussed their career aspirations with their manager "
                            "(from the survey): yes, no, did not answer (unknown), no manager.",
    "name": "The person's name (with their id in brackets when two people share it).",
    "employee_id": "The person's id in the HR system (or its pseudonym).",
    "title": "Job title, from the people file.",
    "department": "Department, from the people file.",
    "team": "Team, from the people file.",
    "tribe": "The group they actually work in, found from who works with whom, named after the "
             "departments most of its members come from.",
    "ties": "How many working ties connect the two groups.",
    "candidate": "The candidate on the slate.",
    "panel member": "The decision-maker on the panel.",
    "advocates_by_name": "The panel members who advocate for the candidate.",
    "answered_survey": "Whether this panel member answered the survey (if not, their advocacy is "
                       "unknown, not absent).",
    "strong": "Candidates this panel member works closely with.",
    "weight": "How much two people or groups work together: a one-to-one email weighs 1, a 30-minute "
              "one-to-one meeting 1, a message to five people a fifth to each.",
}

#: Columns shown under another name (one definition; the pages rename with it).
SHOWN_AS = {"size": "people", "silo_confidence": "silo confidence", "insularity": "share kept inside",
            "outside_share": "members with anyone outside", "ei_index_weighted": "E-I (weighted)",
            "ei_expected_weighted": "E-I if mixed at random", "links_out": "links out (share of its outside ties)",
            "nmi": "tribes match departments (NMI)"}


def explain(column: str) -> str | None:
    """The plain explanation of a column, by its name or the name it is shown under."""
    if column in EXPLAIN:
        return EXPLAIN[column]
    shown = {label: key for key, label in SHOWN_AS.items()}
    return EXPLAIN.get(shown.get(column, ""))

SECTIONS = [
    ("Who is visible?", [
        "Visibility is about who knows a person's work outside their own team — not about how good the "
        "work is. A low score says: few people outside the team, and few senior leaders, work with them "
        "or name them.",
        "The score counts contacts outside the team by how much people work together, senior leaders they "
        "work with, and people outside the team who name them in the survey. A colleague's tie to a leader "
        "adds at most a quarter and never makes someone visible on its own.",
        "0-100 is a rank: 25 means a quarter of the organisation is less visible.",
    ]),
    ("Hidden talent", [
        "High performers (the top rating in the people file) in the least visible quarter. The reason "
        "says what is missing: ties outside the team, leaders, people who name them.",
        "Confidence says how firmly the data supports the name: how often the person stays on the list "
        "when the collaboration data is resampled. A name at 0.4 rests on a few messages.",
        "It is a starting point for a conversation, not a verdict: some people prefer deep work in one team.",
    ]),
    ("Tribes and silos", [
        "Tribes are the groups people actually work in, found from who works with whom (Louvain); they "
        "are named after the departments most of their members come from.",
        "Every department works mostly with itself. A silo is one far more closed than the others: less "
        "than half as open as the typical department, beyond what chance would give.",
        "Bridges are the people who carry a group's ties to the rest: a silo with one bridge loses its "
        "link out when that person leaves.",
    ]),
    ("Talent review", [
        "An advocate is a panel member who said in the survey that they advocate for the candidate. A "
        "strong tie: they work closely. Weak: some contact. None: no contact at all.",
        "A panel member who did not answer the survey is marked: their advocacy is unknown, not absent.",
        "An introduction names someone who works closely with both the candidate and a panel member who "
        "does not know the candidate yet, or knows them only slightly (then it says so).",
    ]),
    ("Sponsors and mentors", [
        "A sponsor talks about you (advocates for you); a mentor talks with you. Both come from the survey.",
        "Develops people: the sponsor's protégés were promoted within two years more often than colleagues at "
        "the same level in the same department, beyond what chance explains. Too few to tell: fewer than five "
        "protégés sponsored long enough ago to follow for two years. It is never a ranking.",
        "Reverse mentoring: a senior person who says they seek advice from someone more junior.",
        "Career conversations come from people who answered the survey; for the others it is unknown, not no.",
    ]),
    ("Is access fair?", [
        "People of one group (a site, a gender) are compared with their peers at the same level in the "
        "same department, so a group that is mostly junior is not mistaken for one treated worse.",
        "The difference before adjusting is the plain difference of the two groups' averages; the "
        "difference like for like is what remains once level and department are the same.",
        "Unlikely to be chance: the difference clears a test that allows for the number of comparisons "
        "made, so at most one run in twenty reports a difference that is not there.",
        "A gap is a signal to look into with the people concerned — their time zone, the meetings they "
        "are invited to, the work they are given — not a verdict on anyone.",
    ]),
    ("What the numbers do not show", [
        "Only metadata is read: who wrote to or met whom, when and for how long — never what was said.",
        "Work that leaves no trace in email, chat or calendars (hallway talk, phone calls) is missing.",
        "Groups under five people are never shown on their own.",
    ]),
]


def layout(**_):
    return html.Div([
        html.H2("How to read this"),
        *[html.Div([html.H3(title), *[html.P(text, className="help") for text in texts]])
          for title, texts in SECTIONS],
        html.H3("Every number"),
        html.Dl([item for key, text in EXPLAIN.items() if key != "people"
                 for item in (html.Dt(SHOWN_AS.get(key, key.replace("_", " "))), html.Dd(text, className="help"))],
                id="guide-terms"),
    ], className="page")


def not_found(**_):
    return html.Div([
        html.H2("Nothing here"),
        html.P("There is no page at this address. Use the menu above, or go to ", className="help"),
        dcc.Link("the overview", href="/"),
    ], className="page", id="not-found")


def register() -> None:
    dash.register_page(__name__, path="/guide", name="How to read this", title="ona: how to read this",
                       layout=layout)
    dash.register_page("not_found_404", layout=not_found, title="ona: not found")
