"""What a protocol's participant lists tell the resolver: people's positions and the interviewed schools."""

from meetings.protocol_import.people import institution, is_class, person_and_position
from meetings.protocol_import.text_split import top_level_split

from .resolver import Context


def context_for(*, kind: str = "", members: list[str] = (), invited: list[str] = ()) -> Context:
    """What the participant lists say for resolving parties: people's positions, the interviewed schools."""
    positions: dict[str, str] = {}
    bodies: list[str] = []
    for entry in [*members, *invited]:
        name, position = person_and_position(entry)
        if name and position:
            positions[name] = position
    for entry in invited:
        name, _ = person_and_position(entry)
        if not name and not is_class(entry):  # "руководители МОУ СОШ с. Матвеево, МОУ СОШ с.Вохтома"
            bodies.extend(institution(part) for part in top_level_split(entry, ","))
    return Context(positions=positions, invited=tuple(bodies), interview=kind == "interview")
