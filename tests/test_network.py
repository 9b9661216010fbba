"""Building graphs from layers: sums, directions, isolates, attributes."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest

import ona
from ona.errors import ConfigError

from .conftest import write


@pytest.fixture
def net(people_dir):
    write(people_dir, "interactions.csv", """
        timestamp,channel,sender_id,recipient_ids
        2024-03-01T09:00:00Z,email,001,002
        2024-03-01T10:00:00Z,email,002,001
        2024-03-01T11:00:00Z,chat,001,003
    """)
    write(people_dir, "relationships.csv", """
        source_id,target_id,relation
        002,001,advocacy
        003,001,advice
    """)
    return ona.load(people_dir)


def test_layers_interactions_first(net):
    assert net.layers == ["chat", "email", "advice", "advocacy"]
    assert net.layers_of("relationship") == ["advice", "advocacy"]


def test_undirected_graph_sums_both_directions_and_keeps_isolates(net):
    g = net.graph()  # default: every interaction channel
    assert isinstance(g, nx.Graph) and not g.is_directed()
    assert g["001"]["002"]["weight"] == pytest.approx(2.0)
    assert g["001"]["002"]["count"] == pytest.approx(2.0)
    assert g.degree("004") == 0 and g.number_of_nodes() == 4  # 004 has no ties
    assert g.nodes["003"]["department"] == "Research"
    assert g.nodes["001"]["level"] == 3
    assert "manager_id" not in g.nodes["001"]  # missing values are left out


def test_directed_graph_keeps_who_reaches_out(net):
    g = net.graph(["chat", "advice"], directed=True)
    assert g.has_edge("001", "003") and g.has_edge("003", "001")
    assert g["001"]["003"]["weight"] == 1.0 and g["003"]["001"]["weight"] == 1.0
    assert not net.graph(["chat"], directed=True).has_edge("003", "001")


def test_layer_weights_and_min_weight(net):
    g = net.graph(["email", "advocacy"], layer_weights={"advocacy": 10})
    assert g["001"]["002"]["weight"] == pytest.approx(12.0)
    assert net.graph(["email", "chat"], min_weight=1.5).number_of_edges() == 1


def test_unknown_layer_is_a_clear_error(net):
    with pytest.raises(ConfigError, match="no ties in layer\\(s\\) sms; the layers present are"):
        net.graph(["sms"])


def test_without_event_log_the_declared_relations_are_the_default(people_dir):
    write(people_dir, "relationships.csv", "source_id,target_id,relation\n002,001,advice\n")
    assert ona.load(people_dir).graph().number_of_edges() == 1


def test_degree_metrics_agree_with_networkx(net):
    table = ona.degree_metrics(net, layers=["email", "chat", "advice"])
    und = net.graph(["email", "chat", "advice"])
    di = net.graph(["email", "chat", "advice"], directed=True)
    for person in net.people.index:
        assert table.loc[person, "degree"] == und.degree(person)
        assert table.loc[person, "strength"] == pytest.approx(und.degree(person, weight="weight"))
        assert table.loc[person, "in_degree"] == di.in_degree(person)
        assert table.loc[person, "out_strength"] == pytest.approx(di.out_degree(person, weight="weight"))


def test_network_is_never_mutated(net):
    before = net.ties.copy()
    ona.pseudonymize(net, "a-key-long-enough-for-tests")
    net.graph(layer_weights={"email": 3})
    pd.testing.assert_frame_equal(before, net.ties)
