"""The spreadsheet import wizard: upload → mapping with a preview → confirm.

The workbook waits in private storage under a token of this user and organisation
(`spreadsheet_uploads`); a token of anyone else is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Max
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.core.accounts.decorators import membership_required
from portal.core.tenancy import visible_to

from . import services
from .forms import MappingForm, SpreadsheetUploadForm
from .matching import match_texts
from .matching.equivalents import bank_template
from .models import QuestionnaireTemplate, SpreadsheetMapping
from .spreadsheet_uploads import (
    UploadMissing,
    upload_discard,
    upload_load,
    upload_set_mapping,
    upload_store,
)
from .xlsx_import import (
    MAPPABLE,
    Mapping,
    SpreadsheetRefused,
    detect_mapping,
    import_with_report,
    inspect_workbook,
)
from .xlsx_import.detect import detect_columns
from .yaml_io import QuestionnaireFileError

PREVIEW_ROWS = 10


def _upload(request, token: str):
    try:
        return upload_load(membership=request.membership, token=token)
    except UploadMissing as exc:
        raise Http404 from exc


def _try_import(data: bytes, mapping_dict: dict, *, limit: int | None = None):
    """(questionnaire, report, errors): the import as it would run, nothing stored."""
    try:
        questionnaire, report = import_with_report(
            data, Mapping.from_dict(mapping_dict), limit=limit
        )
    except QuestionnaireFileError as exc:
        return None, None, exc.errors
    return questionnaire, report, []


@membership_required("questionnaire.build")
def spreadsheet_upload(request):
    """Step 1: the file, checked before it is kept."""
    form = SpreadsheetUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            inspect_workbook(data)
        except SpreadsheetRefused as exc:
            form.add_error("file", str(exc))
        else:
            token = upload_store(membership=request.membership, name=upload.name, data=data)
            return redirect("questionnaire_xlsx_mapping", token=token)
    return render(request, "questionnaires/xlsx_upload.html", {"form": form})


def _initial(request, stored, data: bytes, sheets: list[dict]) -> dict:
    """The mapping to start from: a saved one (?mapping=), the one chosen before, or what the
    sheet looks like; ?sheet= and ?header_row= let the user point at another sheet or row."""
    saved = visible_to(SpreadsheetMapping, request.membership)
    mapping = None
    if request.GET.get("mapping", "").isdecimal():
        preset = saved.filter(pk=request.GET["mapping"]).first()
        mapping = dict(preset.mapping) if preset else None
    mapping = mapping or stored.mapping
    names = [s["name"] for s in sheets]
    sheet = request.GET.get("sheet")
    row = request.GET.get("header_row", "")
    if mapping is None or sheet in names or row.isdecimal():
        detected = detect_mapping(data, name=stored.name, sheets=sheets)
        if sheet in names and sheet != detected.sheet:
            only = [s for s in sheets if s["name"] == sheet]
            detected = detect_mapping(data, name=stored.name, sheets=only)
        if row.isdecimal() and 1 <= int(row) <= 50:
            rows = next(s["rows"] for s in sheets if s["name"] == detected.sheet)
            detected.header_row = int(row)
            header = rows[int(row) - 1] if int(row) <= len(rows) else []
            detected.columns = detect_columns(header, [], int(row))
        mapping = detected.as_dict()
    initial = {k: v for k, v in mapping.items() if k != "columns"}
    initial.update({f"col_{k}": v for k, v in mapping.get("columns", {}).items()})
    initial["language"] = initial.get("language") or "nl"
    initial["save_as"] = stored.save_as
    if mapping is not stored.mapping:  # a new key: start at the first free version
        taken = QuestionnaireTemplate.objects.filter(key=initial.get("key", ""))
        latest = taken.aggregate(v=Max("version"))["v"]
        if latest and int(initial.get("version") or 1) <= latest:
            initial["version"] = latest + 1
    if initial.get("sheet") not in names:
        initial["sheet"] = names[0] if names else ""
    return initial


@membership_required("questionnaire.build")
def spreadsheet_mapping(request, token: str):
    """Step 2: sheet, header row and columns (recognised, corrected by the user), with the
    sheet's first rows and a preview of the import."""
    stored, data = _upload(request, token)
    sheets = inspect_workbook(data)
    initial = _initial(request, stored, data, sheets)
    chosen = request.POST.get("sheet") or initial["sheet"]
    sheet = next((s for s in sheets if s["name"] == chosen), sheets[0])
    raw_row = str(request.POST.get("header_row") or initial.get("header_row") or 1)
    header_row = int(raw_row) if raw_row.isdecimal() and len(raw_row) < 4 else 1
    headers = sheet["rows"][header_row - 1] if 0 < header_row <= len(sheet["rows"]) else []
    form = MappingForm(
        request.POST or None,
        initial=initial,
        sheets=[s["name"] for s in sheets],
        headers=headers,
    )
    report, errors = None, []
    if request.method == "POST":
        if form.is_valid():
            _questionnaire, report, errors = _try_import(data, form.mapping_dict())
            if report and request.POST.get("action") != "preview":
                upload_set_mapping(
                    membership=request.membership,
                    token=token,
                    mapping=form.mapping_dict(),
                    save_as=form.cleaned_data["save_as"],
                )
                return redirect("questionnaire_xlsx_confirm", token=token)
    elif initial.get("col_text"):
        unbound = MappingForm(data=initial, sheets=[s["name"] for s in sheets], headers=headers)
        if unbound.is_valid():
            _questionnaire, report, errors = _try_import(data, unbound.mapping_dict())
    return render(
        request,
        "questionnaires/xlsx_mapping.html",
        {
            "form": form,
            "token": token,
            "sheet": sheet,
            "header_row": header_row,
            "file_name": stored.name,
            "report": report,
            "preview": report.preview[:PREVIEW_ROWS] if report else [],
            "errors": errors,
            "saved": visible_to(SpreadsheetMapping, request.membership),
            "mapping_fields": [form[f"col_{t}"] for t in MAPPABLE],
        },
    )


@membership_required("questionnaire.build")
def spreadsheet_confirm(request, token: str):
    """Step 3: every row with what will happen to it; importing stores a draft."""
    stored, data = _upload(request, token)
    if not stored.mapping:
        return redirect("questionnaire_xlsx_mapping", token=token)
    questionnaire, report, errors = _try_import(data, stored.mapping)
    if request.method == "POST" and questionnaire is not None:
        membership = request.membership
        try:
            template = services.template_import(
                data=questionnaire, owner=membership.organisation, actor=request.user
            )
        except QuestionnaireFileError as exc:
            errors = exc.errors
        else:
            if stored.save_as:
                services.mapping_save(
                    owner=membership.organisation,
                    name=stored.save_as,
                    mapping=stored.mapping,
                    actor=request.user,
                )
            upload_discard(membership=membership, token=token)
            messages.success(
                request,
                _("Imported as a draft. %(summary)s") % {"summary": report.summary()},
            )
            for note in report.notes:
                messages.warning(request, note)
            messages.info(
                request,
                _("Confirm which bank question each question asks the same as, so that "
                  "suppliers' earlier answers can be prefilled."),
            )  # fmt: skip
            return redirect("questionnaire_match", pk=template.pk)
    return render(
        request,
        "questionnaires/xlsx_confirm.html",
        {
            "token": token,
            "file_name": stored.name,
            "mapping": stored.mapping,
            "report": report,
            "errors": errors,
            "back": reverse("questionnaire_xlsx_mapping", kwargs={"token": token}),
            "show_bank": _add_bank_proposals(report.preview if report else []),
        },
    )


def _add_bank_proposals(rows) -> bool:
    """Give each previewed row the bank question proposed for it (`bank_match`: code and score),
    to confirm on the match page after the import. False when there is no bank to match."""
    bank = bank_template()
    if bank is None or not rows:
        return False
    texts = [(r.get("text") or {}).get("nl") or (r.get("text") or {}).get("en") or "" for r in rows]
    for row, m in zip(rows, match_texts(texts, template=bank), strict=True):
        row["bank_match"] = {"code": m.best, "score": m.matches[0].score} if m.best else None
    return True


@require_POST
@membership_required("questionnaire.build")
def spreadsheet_discard(request, token: str):
    _upload(request, token)
    upload_discard(membership=request.membership, token=token)
    return redirect("questionnaire_xlsx")
