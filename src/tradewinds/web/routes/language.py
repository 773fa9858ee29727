"""The language picker in the top bar (and on the sign-in pages): the choice is kept on the
signed-in user and in a cookie, so the sign-in page after signing out keeps it too."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse

from tradewinds.api.deps import SessionDep
from tradewinds.auth import sessions
from tradewinds.db.models.tenancy import User
from tradewinds.errors import InvalidInput
from tradewinds.web import i18n
from tradewinds.web.cookies import set_cookie
from tradewinds.web.deps import FormDep, public
from tradewinds.web.routes.auth import _safe_next

router = APIRouter(include_in_schema=False)

ONE_YEAR = 365 * 24 * 3600


@router.post("/language", dependencies=[Depends(public)])
def choose_language(request: Request, session: SessionDep, form: FormDep) -> RedirectResponse:
    code = str(form.get("language", ""))
    language = i18n.language_of(code)
    if language is None:
        known = ", ".join(item.code for item in i18n.LANGUAGES)
        raise InvalidInput(
            i18n.gettext(
                "language: %(code)s is not one of the languages offered (%(known)s)",
                code=code[:40],
                known=known,
            )
        )
    record = sessions.lookup(session=session, token=request.cookies.get(sessions.COOKIE))
    if record is not None:
        user = session.get(User, record.user_id)
        if user is not None:
            user.locale = language.code
            session.commit()
    response = RedirectResponse(_safe_next(str(form.get("next", "/"))), status_code=303)
    set_cookie(response, i18n.COOKIE, language.code, max_age=ONE_YEAR)
    return response
