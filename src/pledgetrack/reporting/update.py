"""The public update as a document: "You said, we did" for each local priority, the
national figures in words, how to reach the team and when it next meets.

Public text carries no internal codes (`CW01-L1`) unless `refs`; officers' names are left
out by the service when asked (`--no-names`), and the sergeant's name with them.
"""

from __future__ import annotations

from pledgetrack.domain.plain_words import (
    day_words,
    mentions_day,
    moment_words,
    plural,
    recorded_words,
)
from pledgetrack.reporting.document import Block, Bullets, Document, Group, Heading, Para
from pledgetrack.services.public_update import (
    JUDGED,
    NationalLine,
    PriorityUpdate,
    PublicUpdate,
)


def update_document(update: PublicUpdate, *, refs: bool = False) -> Document:
    team = update.team
    name = f"{team.name} ({team.code})" if refs else team.name
    blocks: list[Block] = [Para(_intro(update), css="meta"), Heading(2, "You said, we did")]
    if update.priorities:
        blocks.extend(_priority(p, update, refs) for p in update.priorities)
    else:  # pledges: what residents set at a meeting is listed below all the same
        below = " The priorities you set at a meeting are below." if _set(update) else ""
        blocks.append(Para(f"No local pledges were in force in {update.period_text}.{below}"))
    blocks.extend(_meetings(update))
    blocks.append(Heading(2, f"Our national promises in {update.period_text}"))
    if update.national:
        blocks.append(Bullets(tuple(_national(line, refs) for line in update.national)))
    else:
        blocks.append(Para("This team had no national commitments on record for the period."))
    blocks.extend(_contact(update))
    blocks.append(Heading(2, "Next public meeting"))
    blocks.append(Para(_meeting(update)))
    return Document(
        title=f"{name}: You said, we did, {update.period_text}",
        blocks=tuple(blocks),
        footer=f"Figures {', '.join(recorded_words(update.as_of, update.made))}.",
    )


def _intro(update: PublicUpdate) -> str:
    team = update.team
    whose = f"{team.force} neighbourhood policing team" if team.force else "Neighbourhood team"
    where = f" for {team.area}" if team.area else ""
    return (
        f"{whose}{where}. What you asked us to work on, what we did about it in "
        f"{update.period_text}, and how we kept the national Policing Pledge."
    )


def _priority(p: PriorityUpdate, update: PublicUpdate, refs: bool) -> Group:
    said = f"{p.said} ({p.ref})" if refs else p.said
    agreed = ""
    if p.agreed_on is not None and not (p.meeting and mentions_day(p.meeting, p.agreed_on)):
        agreed += f" on {day_words(p.agreed_on)}"  # unless the meeting's own name says it
    if p.meeting:
        agreed += f" at {p.meeting}"
    blocks: list[Block] = [Heading(3, f"You said: {said}")]
    if agreed:
        blocks.append(Para(f"Agreed{agreed}."))
    did = "; ".join(p.done) if p.done else f"nothing was recorded in {update.period_text}"
    blocks.append(Para(did, label="We did"))
    if p.partners:
        blocks.append(Para(", ".join(p.partners), label="Working with"))
    if p.outcomes:
        blocks.append(
            Bullets(
                tuple(
                    f"{day_words(o.day)}: {o.text}" + (f" ({o.officer})" if o.officer else "")
                    for o in p.outcomes
                ),
                label="Results",
            )
        )
    if p.officers:
        blocks.append(Para(", ".join(p.officers), label="Officers"))
    if p.closed is None:
        blocks.append(Para(p.status_text, label="Where we are", status=p.status.value))
    else:  # what happened, then the figure it reached while in force, if one was judged
        blocks.append(Para(p.closed, label="Where we are"))  # plain text: no badge to colour
        if p.status in JUDGED:
            blocks.append(Para(p.status_text, label="Until it closed", status=p.status.value))
    blocks.extend(Para(said, label="Note") for said in p.changed)
    return Group(tuple(blocks), css="priority")


def _set(update: PublicUpdate) -> bool:
    return any(m.priorities for m in update.held)


def _meetings(update: PublicUpdate) -> list[Block]:
    """The public meetings held in the period: the day, how many came if recorded, the
    priorities agreed in residents' words. No pledge is said to answer one: nothing in
    the data links them (a pledge's --meeting is free text)."""
    if not update.held:
        return []
    blocks: list[Block] = [Heading(2, f"Public meetings in {update.period_text}")]
    if _set(update) and update.priorities:  # with none, the line above points here
        blocks.append(
            Para(
                "In your words, as agreed. What we did about those we have made a local "
                'pledge is under "You said, we did" above.'
            )
        )
    for m in update.held:
        came = "" if m.attendance is None else f": {plural(m.attendance, 'resident')} came"
        agreed: Block = (
            Bullets(m.priorities, label="Priorities you set")
            if m.priorities
            else Para("No priorities were recorded at this meeting.")
        )
        blocks.append(
            Group((Heading(3, f"Meeting on {day_words(m.day)}{came}"), agreed), "meeting")
        )
    return blocks


def _national(line: NationalLine, refs: bool) -> str:
    """`Monthly public meeting: 1 public meeting held (promise: 1 a month) (on track)`; a
    commitment closed by the end of the period says so, and its status only if judged."""
    said = f"{line.title}{f' ({line.ref})' if refs else ''}: "
    # a changed target, after the figure it judged: `... (on track). This promise was ...`
    changed = "".join(f"{'.' if i == 0 else ''} {words}" for i, words in enumerate(line.changed))
    if line.closed is None:
        return f"{said}{line.text} ({line.words}){changed}"
    judged = f", {line.words}" if line.status in JUDGED else ""
    return f"{said}{line.closed} (until then: {line.text}{judged}){changed}"


def _contact(update: PublicUpdate) -> list[Block]:
    team = update.team
    items = [f"Team: {team.name}" + (f", {team.force}" if team.force else "")]
    if team.area:
        items.append(f"Area: {team.area}")
    if team.sergeant and update.names:
        items.append(f"Sergeant: {team.sergeant}")
    items.append(
        f"Contact: {team.contact}" if team.contact else "Contact: ask at your police station"
    )
    return [Heading(2, "Contact your team"), Bullets(tuple(items))]


def _meeting(update: PublicUpdate) -> str:
    m = update.next_meeting
    if m is None:
        return "No date has been announced yet: contact the team to find out."
    text = moment_words(m.starts_at, update.zone)
    if m.place:
        text += f", {m.place}"
    text += "."
    if m.note:
        text += f" {m.note}"
    return text
