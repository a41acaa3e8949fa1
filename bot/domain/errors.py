"""The one error base class whose message is safe to show to a user."""

from __future__ import annotations

from bot.messages import Message


class BotError(Exception):
    """An error whose `message` is a catalogue entry that can be shown to the user as it is."""

    def __init__(self, key: str, **params: object) -> None:
        self.message = Message(key, params)
        super().__init__(key)


class InvalidAnswer(BotError):
    """An answer to a sign-up question that was not accepted; nothing was saved."""


class PlacesToChoose(InvalidAnswer):
    """A time zone answer that could mean several places: she is asked which (nothing is
    guessed). `places` are [IANA zone, what to call it] pairs, as the sign-up draft keeps them
    (the name as a catalogue message in its JSON form)."""

    def __init__(self, places: list[list[object]]) -> None:
        super().__init__("signup.ask.timezone_which")
        self.places = places


class NotAllowed(BotError):
    """The person asking has no right to do this (for example: not a coordinator)."""

    def __init__(self, key: str = "error.not_coordinator") -> None:
        super().__init__(key)


class NotFound(BotError):
    """The thing asked about does not exist (any more)."""


class Busy(BotError):
    """The database stayed locked by another process (a backup, say) past the busy timeout:
    nothing was changed, and the person is asked to try again in a moment."""

    def __init__(self) -> None:
        super().__init__("error.busy")
