"""One shared `transitions` machine built from the workflow table.

A Machine cannot bind to a SQLModel row, and a machine per record costs ~60 KB and ~1 ms, so there is exactly one
machine with no model of its own. A transition is decided by asking the machine which triggers leave a state and
where an event leads; the row's state is written by the use case, never by "set state".
"""

from __future__ import annotations

from functools import lru_cache

from transitions import Machine

from workflow.table import EVENTS, STATE_LABELS, TRANSITION_EVENTS, State


@lru_cache(maxsize=1)
def machine() -> Machine:
    m = Machine(
        model=None,
        states=[s.value for s in State],
        initial=State.found.value,
        auto_transitions=False,
        send_event=True,
    )
    for event in TRANSITION_EVENTS:
        m.add_transition(event.name, [s.value for s in event.sources], event.dest.value)
    return m


def triggers_from(state: str) -> list[str]:
    """Events the table allows in `state`, in table order."""
    found = set(machine().get_triggers(state))
    return [e.name for e in TRANSITION_EVENTS if e.name in found]


def destination(state: str, event: str) -> str | None:
    """Where `event` leads from `state`, or None when the table has no such transition."""
    m = machine()
    if event not in m.events:
        return None
    transitions = m.events[event].transitions.get(state)
    if not transitions:
        return None
    return transitions[0].dest


def mermaid_diagram() -> str:
    """The state diagram as Mermaid text, generated from the table (so it can never drift from the code)."""
    lines = ["stateDiagram-v2", f"    [*] --> {State.found.value}: {EVENTS['register'].label}"]
    for event in TRANSITION_EVENTS:
        for source in event.sources:
            lines.append(f"    {source.value} --> {event.dest.value}: {event.label}")
    for state, label in STATE_LABELS.items():
        lines.append(f"    {state}: {label}")
    return "\n".join(lines)
