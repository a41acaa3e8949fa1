"""Which language each person reads the bot in: the one she chose with /language, else her
platform's hint at first contact (Spanish for es*, the program's default otherwise), kept by
account so that coordinators and people not yet signed up have one too."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.domain.clock import Clock
from bot.domain.errors import BotError, Busy
from bot.domain.models import AccountRef
from bot.domain.ports import UnitOfWorkFactory
from bot.messages import Message, msg
from bot.messages.translations import LANGUAGES, SOURCE, language_of


@dataclass(frozen=True)
class Spoken:
    """Her language, and whether anything told it (a choice or a platform's hint)."""

    language: str
    known: bool


@dataclass
class LocaleService:
    uow: UnitOfWorkFactory
    clock: Clock
    languages: Sequence[str] = LANGUAGES
    default: str = SOURCE
    _known: dict[AccountRef, Spoken] = field(default_factory=dict)

    async def of(self, account: AccountRef, hint: str | None = None, keep: bool = False) -> Spoken:
        """Her language: the one stored for her, else the platform's hint, else the program's.
        A hint is stored only with `keep` (a coordinator: what the bot sends her on its own is
        then written in it); a volunteer's is stored when her sign-up completes, and nothing
        is stored about someone who only talked to the bot. Kept in memory after the first
        look."""
        key = AccountRef(account.platform, account.user_id)
        found = self._known.get(key)
        if found is not None:
            return found
        hinted = language_of(hint, tuple(self.languages))
        try:
            async with self.uow() as uow:
                stored = await uow.languages.get(key)
                if stored is not None and stored[0] in self.languages:
                    found = Spoken(stored[0], True)
                else:
                    found = Spoken(hinted or self.default, hinted is not None)
                    if hinted is not None and keep:
                        await uow.languages.set(key, hinted, False, self.clock.now())
                        await uow.commit()
        except Busy:  # the records are locked for a moment: answer in the hinted language
            return Spoken(hinted or self.default, hinted is not None)
        self._known[key] = found
        return found

    async def should_ask(self, account: AccountRef, hint: str | None) -> bool:
        """Whether to ask her language first: nothing told it, and there is a choice."""
        return len(self.languages) > 1 and not (await self.of(account, hint)).known

    async def choose(self, account: AccountRef, language: str) -> Message:
        """`/language`: her choice, from now on (in what the bot sends on its own too)."""
        if language not in self.languages:
            raise BotError("language.unknown")
        key = AccountRef(account.platform, account.user_id)
        async with self.uow() as uow:
            await uow.languages.set(key, language, True, self.clock.now())
            await uow.commit()
        self._known[key] = Spoken(language, True)
        return msg("language.chosen")

    def forget(self, accounts: Sequence[AccountRef]) -> None:
        """After an erasure: what was kept in memory about these accounts goes too."""
        for account in accounts:
            self._known.pop(AccountRef(account.platform, account.user_id), None)

    def offered(self) -> list[tuple[str, Message]]:
        """The languages she can choose, each named in itself."""
        return [(code, msg(f"language.name.{code}")) for code in self.languages]
