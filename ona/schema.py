"""Column names and vocabularies of the data contract (docs/data-contract.md), defined once.

Every module refers to these constants rather than spelling column names out, so
the contract has one home in the code.
"""

from __future__ import annotations

__all__ = [
    "EMPLOYEE_ID", "NAME", "DEPARTMENT", "TEAM", "TITLE", "LEVEL", "MANAGER_ID",
    "LOCATION", "HIRE_DATE", "PERFORMANCE", "SURVEY_RESPONSE",
    "TIMESTAMP", "CHANNEL", "SENDER_ID", "RECIPIENT_IDS", "DURATION_MINUTES",
    "SOURCE_ID", "TARGET_ID", "RELATION", "WEIGHT", "DATE",
    "PEOPLE_REQUIRED", "INTERACTIONS_REQUIRED", "RELATIONSHIPS_REQUIRED",
    "KNOWN_RELATIONS", "MEETING_CHANNELS", "IDENTIFYING_COLUMNS", "PSEUDONYMISED_COLUMNS", "TIE_COLUMNS",
    "INPUT_NAMES",
]

# --- people ---------------------------------------------------------------
EMPLOYEE_ID = "employee_id"
NAME = "name"
DEPARTMENT = "department"
TEAM = "team"
TITLE = "title"
LEVEL = "level"
MANAGER_ID = "manager_id"
LOCATION = "location"
HIRE_DATE = "hire_date"
PERFORMANCE = "performance"
#: (ona) whether the person answered the survey behind the declared relations (yes/no)
SURVEY_RESPONSE = "survey_response"
PEOPLE_REQUIRED = (EMPLOYEE_ID, DEPARTMENT)

# --- interactions ---------------------------------------------------------
TIMESTAMP = "timestamp"
CHANNEL = "channel"
SENDER_ID = "sender_id"
RECIPIENT_IDS = "recipient_ids"
DURATION_MINUTES = "duration_minutes"
INTERACTIONS_REQUIRED = (TIMESTAMP, CHANNEL, SENDER_ID, RECIPIENT_IDS)
RECIPIENT_SEPARATOR = ";"

# --- relationships --------------------------------------------------------
SOURCE_ID = "source_id"
TARGET_ID = "target_id"
RELATION = "relation"
WEIGHT = "weight"
DATE = "date"
RELATIONSHIPS_REQUIRED = (SOURCE_ID, TARGET_ID, RELATION)

#: Relations with a meaning in the contract; any other word is accepted as its own layer.
KNOWN_RELATIONS = ("advice", "advocacy", "mentor", "knows_work", "collaboration")

#: Channels whose events are gatherings (all participants meet each other) and whose
#: weight grows with duration. Any other channel is treated as a message.
MEETING_CHANNELS = ("meeting", "call")

#: People columns that identify a person directly (dropped under pseudonymisation, like
#: every column not in PSEUDONYMISED_COLUMNS).
IDENTIFYING_COLUMNS = (
    NAME, "first_name", "last_name", "full_name", "display_name", "email",
    "email_address", "phone", "mobile",
)
#: (ona) The only people columns kept under pseudonymisation: the contract's columns that
#: describe a position, not a person (manager_id is pseudonymised too). Any other column
#: reaches an output only when named with --keep-column.
PSEUDONYMISED_COLUMNS = (DEPARTMENT, TEAM, TITLE, LEVEL, MANAGER_ID, LOCATION, HIRE_DATE,
                         PERFORMANCE, SURVEY_RESPONSE)

# --- the tie table (output of aggregation, input of graph building) -------
TIE_SOURCE = "source_id"
TIE_TARGET = "target_id"
LAYER = "layer"
KIND = "kind"  # "interaction" or "relationship"
TIE_WEIGHT = "weight"
TIE_COUNT = "count"
FIRST_CONTACT = "first_contact"
LAST_CONTACT = "last_contact"
TIE_COLUMNS = (TIE_SOURCE, TIE_TARGET, LAYER, KIND, TIE_WEIGHT, TIE_COUNT,
               FIRST_CONTACT, LAST_CONTACT)
KIND_INTERACTION = "interaction"
KIND_RELATIONSHIP = "relationship"

#: Base names of the input files looked for in a data directory.
INPUT_NAMES = ("people", "interactions", "relationships")
#: File endings read, in order of preference when reporting.
SUPPORTED_SUFFIXES = (".csv", ".csv.gz", ".parquet", ".xlsx")
