"""SQLite repositories behind the core's ports, and the unit of work that groups them."""

from __future__ import annotations

import sqlite3
from types import TracebackType
from typing import Self

from bot.domain.errors import Busy
from bot.domain.ports import (
    AnnouncementRepo,
    AuditRepo,
    CircleRepo,
    ConcernRepo,
    ConsentRepo,
    FacilityRepo,
    LanguageRepo,
    LetterRepo,
    MatchRepo,
    OutboxRepo,
    PenPalRepo,
    PrivacyRepo,
    QuizRepo,
    SignupDraftRepo,
    VolunteerRepo,
    WorkspaceRepo,
)
from storage._announcements import SqliteAnnouncementRepo
from storage._circles import SqliteCircleRepo
from storage._common import from_ts, ts
from storage._concerns import SqliteConcernRepo
from storage._consents import SqliteConsentRepo
from storage._languages import SqliteLanguageRepo
from storage._letters import SqliteLetterRepo
from storage._matches import SqliteMatchRepo
from storage._outbox import SqliteAuditRepo, SqliteOutboxRepo
from storage._people import SqliteSignupDraftRepo, SqliteVolunteerRepo
from storage._privacy import SqlitePrivacyRepo
from storage._quizzes import SqliteQuizRepo
from storage._registry import SqliteFacilityRepo, SqlitePenPalRepo
from storage._workspace import SqliteWorkspaceRepo
from storage.database import Database


class SqliteUnitOfWork:
    """One `BEGIN IMMEDIATE` transaction over every repository; rolled back unless committed."""

    def __init__(self, db: Database) -> None:
        self.db = db
        conn = db.conn
        self.volunteers: VolunteerRepo = SqliteVolunteerRepo(conn)
        self.drafts: SignupDraftRepo = SqliteSignupDraftRepo(conn)
        self.outbox: OutboxRepo = SqliteOutboxRepo(conn)
        self.audit: AuditRepo = SqliteAuditRepo(conn)
        self.facilities: FacilityRepo = SqliteFacilityRepo(conn)
        self.penpals: PenPalRepo = SqlitePenPalRepo(conn)
        self.matches: MatchRepo = SqliteMatchRepo(conn)
        self.letters: LetterRepo = SqliteLetterRepo(conn)
        self.announcements: AnnouncementRepo = SqliteAnnouncementRepo(conn)
        self.privacy: PrivacyRepo = SqlitePrivacyRepo(conn)
        self.concerns: ConcernRepo = SqliteConcernRepo(conn)
        self.languages: LanguageRepo = SqliteLanguageRepo(conn)
        self.consents: ConsentRepo = SqliteConsentRepo(conn)
        self.quizzes: QuizRepo = SqliteQuizRepo(conn)
        self.workspace: WorkspaceRepo = SqliteWorkspaceRepo(conn)
        self.circles: CircleRepo = SqliteCircleRepo(conn)
        self._open = False

    async def __aenter__(self) -> Self:
        await self.db.lock.acquire()
        try:
            await self.db.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            self.db.lock.release()
            raise _busy(error) from error
        except BaseException:
            self.db.lock.release()
            raise
        self._open = True
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if self._open:
                await self.db.conn.execute("ROLLBACK")
        finally:
            self._open = False
            self.db.lock.release()

    async def commit(self) -> None:
        try:
            await self.db.conn.execute("COMMIT")
        except sqlite3.OperationalError as error:
            raise _busy(error) from error  # still open: __aexit__ rolls back
        self._open = False


def _busy(error: sqlite3.OperationalError) -> Exception:
    """A lock held past the busy timeout becomes the core's Busy; anything else stays."""
    text = str(error).casefold()
    if "locked" in text or "busy" in text:
        return Busy()
    return error


__all__ = [
    "SqliteAuditRepo",
    "SqliteFacilityRepo",
    "SqliteLetterRepo",
    "SqliteMatchRepo",
    "SqliteOutboxRepo",
    "SqlitePenPalRepo",
    "SqliteSignupDraftRepo",
    "SqliteUnitOfWork",
    "SqliteVolunteerRepo",
    "from_ts",
    "ts",
]
