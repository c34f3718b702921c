"""User-interface strings of the reports in Swedish and English (rule texts live in the rulebooks)."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "sv": {
        "rule": "Regel", "severity": "Nivå", "element": "Element", "where": "Var", "message": "Meddelande",
        "expected": "Förväntat", "actual": "Faktiskt", "waived": "Undantag (skäl)",
        "no_violations": "Inga avvikelser.", "waived_heading": "Undantagna avvikelser",
        "errors_heading": "Filer som inte kunde läsas",
        "summary": "{plans}: {error}, {warning}, {info}, {waived}, {unreadable}.",
        "unreadable_with_errors": "{files} ({errors})",
        # counted words: singular|plural (see `plural`)
        "n_plan_versions": "{n} planversion|{n} planversioner", "n_errors": "{n} fel|{n} fel",
        "n_warnings": "{n} varning|{n} varningar", "n_info": "{n} info|{n} info", "n_waived": "{n} undantagen|{n} undantagna",
        "n_unreadable_files": "{n} oläslig fil|{n} oläsliga filer", "n_cells": "{n} cell|{n} celler",
        "n_findings": "{n} avvikelse|{n} avvikelser", "n_notices": "{n} anmärkning|{n} anmärkningar",
        "n_unused": "{n} oanvänt|{n} oanvända",
        "internal_error": "internt fel i plankoll",
        "error": "fel", "warning": "varning", "info": "info",
        "plan_line": "{title} · {body} · version {version} ({status}) · {file}",
        "source_line": "rad {line}", "source_page": "sid {page}",
        "new_since_baseline": "{new} nya sedan baslinjen; bara nya avvikelser avgör utfallet.", "new_marker": "ny",
        # reports (HTML, Markdown, JUnit, SARIF, GitHub)
        "report_title": "plankoll: granskningsrapport",
        "generated_by": "Skapad av plankoll {version} · språk: svenska · felnivå: {fail_on}",
        "overview": "Översikt", "overview_caption": "Avvikelser per planversion, efter nivå och regelfamilj",
        "plan": "Plan", "version": "Version", "status": "Status", "document": "Dokument", "file": "Fil",
        "organisation": "Organisation", "body": "Organ", "period": "Planperiod", "adopted": "Fastställd",
        "source_document": "Källdokument",
        "errors": "Fel", "warnings": "Varningar", "infos": "Info", "waived_count": "Undantagna",
        "violations": "Avvikelser", "by_severity": "Efter nivå", "by_kind": "Efter regelfamilj",
        "total": "Totalt",
        "changes_heading": "Förändringar mellan versioner",
        "changes_caption": "{plan}: version {previous} → {version}",
        "change_new": "Nya", "change_resolved": "Åtgärdade", "change_persisting": "Kvarstående",
        "change_summary": "Jämfört med version {previous}: {new} nya, {resolved} åtgärdade, {persisting} kvarstående.",
        "badge_new": "ny", "badge_since": "sedan {version}",
        "first_version": "Första kontrollerade versionen av planen.",
        "filters": "Filter", "filter_severity": "Nivå", "filter_rule": "Regel", "filter_version": "Planversion",
        "filter_all": "Alla", "filter_reset": "Visa alla",
        "showing": "Visar {shown} av {total} avvikelser.",
        "finding": "Avvikelse", "rationale": "Varför regeln finns", "printed": "tryckt",
        "plan_file": "planfil", "source": "källa", "change": "Förändring",
        "no_waivers": "Inga undantagna avvikelser.", "reason": "Skäl",
        # declared exceptions: every exception a plan file declares, used or not
        "exceptions_heading": "Deklarerade undantag", "no_exceptions": "Inga deklarerade undantag.",
        "exceptions_count": "{count}, varav {unused}", "exception_state": "Används",
        "exception_used": "används: undantar {findings}", "exception_unused": "oanvänt",
        "exceptions_intro": "Undantag som planfilen deklarerar, med skäl och rad. Ett oanvänt undantag undantar ingen avvikelse i "
                            "körningen. Undantag i plankoll.toml visas bara som undantagna avvikelser.",
        "md_exceptions_version": "{title} (version {version})",
        "rules_heading": "Tillämpade regler", "kind": "Regelfamilj", "title": "Benämning", "reference": "Referens",
        "contents": "Innehåll", "skip_to_content": "Hoppa till innehållet",
        "waived_for": "Undantagen: {reason}",
        "input_errors_title": "oläslig fil",
        "md_title": "plankoll: resultat",
        "md_violations": "Avvikelser i {title} (version {version})",
        "md_waivers": "Undantagna avvikelser ({count})",
        "md_truncated": "… och {count} till (se HTML- eller JSON-rapporten).",
        "passed": "inga avvikelser",
        # notices: what the importer of a document could not interpret
        "notices": "Anmärkningar", "notice": "Anmärkning",
        "notices_heading": "Anmärkningar",
        "notices_intro": "Det plankoll inte kunde tolka eller fick anta när {document} lästes in, och regler som inte kunde "
                         "bedömas för versionen. Det som inte tolkades eller bedömdes kontrolleras inte.",
        "notices_summary": "{count} om inläsning och regler som inte kunde bedömas (listade under varje planversion).",
        "notice_title": "plankoll: anmärkning",
        "whole_document": "hela dokumentet",
        "notices_link": "{count} (se listan)",
        "md_notices": "Anmärkningar för {title} (version {version}): {count}",
        # html: auditor's report (reports/html.py and its template)
        "html_generated_by": "Skapad av plankoll {version} · språk: svenska · felnivå: {level}",
        "verdict_heading": "Utfall", "verdict_passed": "Godkänd", "verdict_failed": "Underkänd vid felnivå {level}",
        "verdict_incomplete": "Ofullständig", "fail_level": "Felnivå", "fail_level_never": "aldrig",
        "verdict_why_passed": "Ingen avvikelse på felnivån {level} eller allvarligare bland {plans}.",
        "verdict_why_passed_new": "Ingen ny eller ändrad avvikelse sedan baslinjen på felnivån {level} eller allvarligare "
                                  "({findings} bland {plans}, redan kända).",
        "verdict_why_never": "Felnivån är {level}: ingen avvikelse underkänner körningen ({findings} bland {plans}).",
        "verdict_why_failed": "{findings} på felnivån {level} eller allvarligare bland {plans}.",
        "verdict_why_failed_new": "{findings} nya eller ändrade sedan baslinjen avgör utfallet (felnivå {level}).",
        "verdict_why_incomplete": "{reasons}: rapporten täcker inte allt den skulle kontrollera, och det som saknas är inte godkänt.",
        "verdict_also_failed": "Dessutom {findings} på felnivån {level} eller allvarligare.",
        "verdict_count_deciding": "Avgörande avvikelser", "verdict_count_unreadable": "Oläsliga filer",
        "verdict_count_rules_failed": "Regler som inte kunde bedömas", "verdict_count_plans": "Kontrollerade planversioner",
        "n_rules_failed": "{n} regel som inte kunde bedömas|{n} regler som inte kunde bedömas",
        "trail_heading": "Revisionsspår", "trail_date": "Körd", "trail_plankoll": "plankoll-version",
        "trail_rulebook": "Regelbok", "trail_rulebook_default": "inbyggd", "trail_config": "Konfiguration",
        "trail_no_config": "ingen konfigurationsfil: standardinställningarna", "trail_inputs": "Indata",
        "n_input_files": "{n} fil|{n} filer", "trail_size": "Storlek (byte)", "trail_digest": "SHA-256",
        "trail_not_read": "kunde inte läsas", "trail_options": "Alternativ", "trail_command": "Kommando",
        "trail_verify_heading": "Så verifierar du",
        "trail_verify": "Kör kommandot nedan med plankoll {version} i samma katalog och jämför kontrollsummorna: indatafilernas, "
                        "regelbokens och konfigurationens SHA-256 (till exempel med sha256sum) ska vara desamma som här. Samma "
                        "version, regler och indata ger samma avvikelser.",
        "source_ocr_note": "tolkat med OCR: siffrorna är läsningar av OCR-texten",
        "ocr_reading": "{value} — läst ur OCR-texten «{ocr}»", "ocr_readings": "OCR-läsningar",
        "where_and_element": "Element och plats", "running_version": "{title} · version {version}",
        "state_new": "ny", "state_changed": "ändrad", "state_known": "känd",
        "state_was": "förut {value}", "since_commit": "sedan commit {commit} ({date}, {author})",
        "resolved_since_baseline": "Åtgärdade sedan baslinjen",
        "evidence": "Ur dokumentet", "evidence_alt": "Sida {page} i {document}, raden markerad",
        "evidence_capped": "Sidbilden är utelämnad: rapporten har nått sin gräns för bilder ({count} bilder, {size} MB).",
        "legend_heading": "Teckenförklaring",
        "legend_empty": "en tom del i en summa: cellen har inget tal och räknas som 0",
        "legend_ocr": "ett tal läst ur OCR-text; OCR-texten står efter, inom «»",
        "legend_path": "skiljer tabell, rad och kolumn (eller mått och värde) i ett elements namn",
        "legend_quote": "text som den står i dokumentet",
        "legend_state_new": "finns inte i baslinjen", "legend_state_changed": "fanns i baslinjen, med andra tal",
        "legend_state_known": "fanns i baslinjen, med samma tal",
        "invariant": "Det som alltid ska gälla", "print_page": "sida {page} av {pages}",
        # baseline states: a run compared with a base (--baseline FILE, --baseline-ref REF), see plankoll.states
        "mark_new": "ny", "mark_changed": "ändrad", "mark_known": "känd", "mark_resolved": "åtgärdad",
        "mark_was": "ändrad: var {expected} / {actual}",
        "n_new": "{n} ny|{n} nya", "n_changed": "{n} ändrad|{n} ändrade", "n_known": "{n} känd|{n} kända",
        "n_resolved": "{n} åtgärdad|{n} åtgärdade",
        "baseline_ref": "{ref}, incheckning {commit}",
        "states_line": "{new} sedan baslinjen{baseline}, {changed}, {known}, {resolved}; {decides}.",
        "decides_new_changed": "nya och ändrade avvikelser avgör utfallet", "decides_new": "bara nya avvikelser avgör utfallet",
        "against_baseline": "Mot baslinjen", "mark_column": "Läge",
        "known_since": "känd sedan baslinjen{baseline}",
        "resolved_heading": "Åtgärdade sedan baslinjen",
        "resolved_plans_heading": "Åtgärdade sedan baslinjen i planer som inte längre kontrolleras",
        "resolved_was": "var {expected} / {actual}",
        "md_new_changed": "Nya och ändrade sedan baslinjen ({count})",
        "md_no_new_changed": "Inga nya eller ändrade avvikelser sedan baslinjen.",
        "md_known": "Kända sedan baslinjen ({count})",
        "md_left_out": "⚠️ Utelämnat för att kommentaren ska hålla sig under GitHubs gräns på 65 536 tecken: {parts}. "
                       "Hela resultatet finns i HTML- eller JSON-rapporten.",
        "md_left_out_known": "de kända avvikelserna i {versions} ({findings})",
        "md_left_out_versions": "{versions} i sin helhet, från och med {title} (version {version}) ({findings})",
        "md_left_out_rest": "resten av listan",
        "n_known_left_out": "{n} känd avvikelse utelämnad här för GitHubs gräns (se HTML- eller JSON-rapporten).|"
                            "{n} kända avvikelser utelämnade här för GitHubs gräns (se HTML- eller JSON-rapporten).",
        "md_and": " samt ",
    },
    "en": {
        "rule": "Rule", "severity": "Severity", "element": "Element", "where": "Where", "message": "Message",
        "expected": "Expected", "actual": "Actual", "waived": "Waiver (reason)",
        "no_violations": "No violations.", "waived_heading": "Waived findings",
        "errors_heading": "Files that could not be read",
        "summary": "{plans}: {error}, {warning}, {info}, {waived}, {unreadable}.",
        "unreadable_with_errors": "{files} ({errors})",
        # counted words: singular|plural (see `plural`)
        "n_plan_versions": "{n} plan version|{n} plan versions", "n_errors": "{n} error|{n} errors",
        "n_warnings": "{n} warning|{n} warnings", "n_info": "{n} info|{n} info", "n_waived": "{n} waived|{n} waived",
        "n_unreadable_files": "{n} unreadable file|{n} unreadable files", "n_cells": "{n} cell|{n} cells",
        "n_findings": "{n} finding|{n} findings", "n_notices": "{n} notice|{n} notices",
        "n_unused": "{n} unused|{n} unused",
        "internal_error": "internal error in plankoll",
        "error": "error", "warning": "warning", "info": "info",
        "plan_line": "{title} · {body} · version {version} ({status}) · {file}",
        "source_line": "line {line}", "source_page": "page {page}",
        "new_since_baseline": "{new} new since the baseline; only new violations decide the outcome.", "new_marker": "new",
        # reports (HTML, Markdown, JUnit, SARIF, GitHub)
        "report_title": "plankoll: audit report",
        "generated_by": "Generated by plankoll {version} · language: English · fail level: {fail_on}",
        "overview": "Overview", "overview_caption": "Violations per plan version, by severity and by rule family",
        "plan": "Plan", "version": "Version", "status": "Status", "document": "Document", "file": "File",
        "organisation": "Organisation", "body": "Body", "period": "Plan period", "adopted": "Adopted",
        "source_document": "Source document",
        "errors": "Errors", "warnings": "Warnings", "infos": "Info", "waived_count": "Waived",
        "violations": "Violations", "by_severity": "By severity", "by_kind": "By rule family",
        "total": "Total",
        "changes_heading": "Changes between versions",
        "changes_caption": "{plan}: version {previous} → {version}",
        "change_new": "New", "change_resolved": "Resolved", "change_persisting": "Persisting",
        "change_summary": "Compared with version {previous}: {new} new, {resolved} resolved, {persisting} persisting.",
        "badge_new": "new", "badge_since": "since {version}",
        "first_version": "The first checked version of this plan.",
        "filters": "Filters", "filter_severity": "Severity", "filter_rule": "Rule", "filter_version": "Plan version",
        "filter_all": "All", "filter_reset": "Show all",
        "showing": "Showing {shown} of {total} violations.",
        "finding": "Finding", "rationale": "Why the rule exists", "printed": "printed",
        "plan_file": "plan file", "source": "source", "change": "Change",
        "no_waivers": "No waived findings.", "reason": "Reason",
        # declared exceptions: every exception a plan file declares, used or not
        "exceptions_heading": "Declared exceptions", "no_exceptions": "No declared exceptions.",
        "exceptions_count": "{count}, {unused}", "exception_state": "Used",
        "exception_used": "used: waives {findings}", "exception_unused": "unused",
        "exceptions_intro": "Exceptions the plan file declares, with their reasons and lines. An unused exception waives no finding "
                            "in this run. Exceptions in plankoll.toml appear only as waived findings.",
        "md_exceptions_version": "{title} (version {version})",
        "rules_heading": "Rules applied", "kind": "Rule family", "title": "Title", "reference": "Reference",
        "contents": "Contents", "skip_to_content": "Skip to content",
        "waived_for": "Waived: {reason}",
        "input_errors_title": "unreadable file",
        "md_title": "plankoll: results",
        "md_violations": "Violations in {title} (version {version})",
        "md_waivers": "Waived findings ({count})",
        "md_truncated": "… and {count} more (see the HTML or JSON report).",
        "passed": "no violations",
        # notices: what the importer of a document could not interpret
        "notices": "Notices", "notice": "Notice",
        "notices_heading": "Notices",
        "notices_intro": "What plankoll could not interpret or had to assume when it read {document}, and rules that could not "
                         "be evaluated for this version. What was not interpreted or evaluated is not checked.",
        "notices_summary": "{count} on reading and on rules that could not be evaluated (listed under each plan version).",
        "notice_title": "plankoll: notice",
        "whole_document": "the whole document",
        "notices_link": "{count} (see the list)",
        "md_notices": "Notices for {title} (version {version}): {count}",
        # html: auditor's report (reports/html.py and its template)
        "html_generated_by": "Generated by plankoll {version} · language: English · fail level: {level}",
        "verdict_heading": "Verdict", "verdict_passed": "Passed", "verdict_failed": "Failed at fail level {level}",
        "verdict_incomplete": "Incomplete", "fail_level": "Fail level", "fail_level_never": "never",
        "verdict_why_passed": "No finding at fail level {level} or above in {plans}.",
        "verdict_why_passed_new": "No finding new or changed since the baseline at fail level {level} or above "
                                  "({findings} in {plans}, all known before).",
        "verdict_why_never": "The fail level is {level}: no finding fails the run ({findings} in {plans}).",
        "verdict_why_failed": "{findings} at fail level {level} or above in {plans}.",
        "verdict_why_failed_new": "{findings} new or changed since the baseline decide the outcome (fail level {level}).",
        "verdict_why_incomplete": "{reasons}: the report does not cover everything it was asked to check, and what is missing has not passed.",
        "verdict_also_failed": "Besides, {findings} at fail level {level} or above.",
        "verdict_count_deciding": "Deciding findings", "verdict_count_unreadable": "Unreadable files",
        "verdict_count_rules_failed": "Rules that could not be evaluated", "verdict_count_plans": "Plan versions checked",
        "n_rules_failed": "{n} rule that could not be evaluated|{n} rules that could not be evaluated",
        "trail_heading": "Audit trail", "trail_date": "Run on", "trail_plankoll": "plankoll version",
        "trail_rulebook": "Rulebook", "trail_rulebook_default": "built-in", "trail_config": "Configuration",
        "trail_no_config": "no configuration file: the defaults", "trail_inputs": "Inputs",
        "n_input_files": "{n} file|{n} files", "trail_size": "Size (bytes)", "trail_digest": "SHA-256",
        "trail_not_read": "could not be read", "trail_options": "Options", "trail_command": "Command",
        "trail_verify_heading": "How to verify",
        "trail_verify": "Run the command below with plankoll {version} in the same directory and compare the digests: the SHA-256 "
                        "of the input files, the rulebook and the configuration (for example with sha256sum) must be the ones "
                        "shown here. The same version, rules and inputs give the same findings.",
        "source_ocr_note": "read by OCR: its figures are readings of the OCR text",
        "ocr_reading": "{value} — read from the OCR text «{ocr}»", "ocr_readings": "OCR readings",
        "where_and_element": "Element and place", "running_version": "{title} · version {version}",
        "state_new": "new", "state_changed": "changed", "state_known": "known",
        "state_was": "was {value}", "since_commit": "since commit {commit} ({date}, {author})",
        "resolved_since_baseline": "Resolved since the baseline",
        "evidence": "From the document", "evidence_alt": "Page {page} of {document}, the row outlined",
        "evidence_capped": "The page image is left out: the report has reached its limit for images ({count} images, {size} MB).",
        "legend_heading": "Legend",
        "legend_empty": "an empty part of a sum: the cell holds no figure and counts as 0",
        "legend_ocr": "a figure read from OCR text; the OCR text follows, in «»",
        "legend_path": "separates table, row and column (or measure and value) in an element's name",
        "legend_quote": "text as the document prints it",
        "legend_state_new": "not in the baseline", "legend_state_changed": "in the baseline, with other figures",
        "legend_state_known": "in the baseline, with the same figures",
        "invariant": "What must always hold", "print_page": "page {page} of {pages}",
        # baseline states: a run compared with a base (--baseline FILE, --baseline-ref REF), see plankoll.states
        "mark_new": "new", "mark_changed": "changed", "mark_known": "known", "mark_resolved": "resolved",
        "mark_was": "changed: was {expected} / {actual}",
        "n_new": "{n} new|{n} new", "n_changed": "{n} changed|{n} changed", "n_known": "{n} known|{n} known",
        "n_resolved": "{n} resolved|{n} resolved",
        "baseline_ref": "{ref}, commit {commit}",
        "states_line": "{new} since the baseline{baseline}, {changed}, {known}, {resolved}; {decides}.",
        "decides_new_changed": "new and changed violations decide the outcome", "decides_new": "only new violations decide the outcome",
        "against_baseline": "Against the baseline", "mark_column": "State",
        "known_since": "known since the baseline{baseline}",
        "resolved_heading": "Resolved since the baseline",
        "resolved_plans_heading": "Resolved since the baseline in plans no longer checked",
        "resolved_was": "was {expected} / {actual}",
        "md_new_changed": "New and changed since the baseline ({count})",
        "md_no_new_changed": "No new or changed violations since the baseline.",
        "md_known": "Known since the baseline ({count})",
        "md_left_out": "⚠️ Left out to keep this comment under GitHub's limit of 65,536 characters: {parts}. "
                       "The full result is in the HTML or JSON report.",
        "md_left_out_known": "the known violations of {versions} ({findings})",
        "md_left_out_versions": "{versions} in full, from {title} (version {version}) on ({findings})",
        "md_left_out_rest": "the rest of the list",
        "n_known_left_out": "{n} known violation left out here for GitHub's limit (see the HTML or JSON report).|"
                            "{n} known violations left out here for GitHub's limit (see the HTML or JSON report).",
        "md_and": " and ",
    },
}


NOTICES: dict[str, dict[str, str]] = {
    "sv": {
        "unaccepted_revisions": "Dokumentet har {count} spårade ändringar som inte är godkända; de lästes som godkända.",
        "table_not_recognised": "Tabellen känns inte igen som mått eller siffror och kontrolleras inte (rubrik: «{header}»).",
        "cell_not_parsed": "Cellen «{text}» kan inte läsas som en siffra och kontrolleras inte: {reason}",
        "total_not_placed": "Summaraden «{row}» kontrolleras inte: dess delar kan inte avgöras ur tabellens uppställning.",
        "period_from_targets": "Planperioden står inte i dokumentet; {first}–{last} är härledd ur målens år.",
        "document_from_targets": "Dokumenttypen står inte i dokumentet; det har mål och läses som en verksamhetsplan.",
        "version_assumed": "Dokumentet anger ingen version eller status; det läses som ett utkast.",
        "body_assumed": "Dokumentet anger inget organ; {body} antas.",
        "rule_not_compared": "{rule} bedömdes inte: {reason}",
        "no_plan": "ingen plan från samma organisation som sätter mål för rapportens mått finns bland indata; kontrollera "
                   "rapporten tillsammans med planen",
        "no_other_version": "ingen annan version eller plan från samma organisation med samma mått finns bland indata att jämföra med",
        "rule_failed": "{rule} kunde inte bedömas: kontrolltypen fallerade ({error}). Det är ett fel i plankoll; rapportera det.",
        # PDF and Excel
        "page_without_text": "Sidan {page} har ingen textrad (en inskannad sida?); dess innehåll kontrolleras bara om det läses med OCR.",
        "ocr_unavailable": "Sidan {page} kunde inte läsas med OCR: tesseract med svenska saknas ({hint}).",
        "ocr_failed": "OCR av sidan {page} misslyckades; sidan kontrolleras inte.",
        "ocr_page": "Sidan {page} lästes med OCR: dess tal är avläsningar och en summa som bara faller på dem ska granskas manuellt.",
        "pdf_tags_not_used": "PDF:ens taggstruktur användes inte ({reason}); tabellerna lästes ur sidornas linjer och ordpositioner.",
        "formula_without_value": "Formeln i {sheet}!{cell} har inget sparat värde (arbetsboken är inte omräknad); cellen läses som tom.",
        "hidden_sheet": "Bladet «{sheet}» är dolt och läses inte.",
    },
    "en": {
        "unaccepted_revisions": "The document has {count} tracked changes that are not accepted; they were read as accepted.",
        "table_not_recognised": "The table is not recognised as measures or figures and is not checked (header: «{header}»).",
        "cell_not_parsed": "The cell «{text}» cannot be read as a figure and is not checked: {reason}",
        "total_not_placed": "The total row «{row}» is not checked: its parts cannot be told from the table's layout.",
        "period_from_targets": "The document does not print its plan period; {first}–{last} is taken from the years of its targets.",
        "document_from_targets": "The document does not say what kind of document it is; it has targets and is read as a verksamhetsplan.",
        "version_assumed": "The document prints no version or status; it is read as a draft.",
        "body_assumed": "The document names no body; {body} is assumed.",
        "rule_not_compared": "{rule} was not evaluated: {reason}",
        "no_plan": "no plan of the same organisation that sets targets for the report's measures is among the inputs; check the "
                   "report together with its plan",
        "no_other_version": "no other version or plan of the same organisation with the same measures is among the inputs to compare with",
        "rule_failed": "{rule} could not be evaluated: its check kind failed ({error}). This is a bug in plankoll; please report it.",
        # PDF and Excel
        "page_without_text": "Page {page} has no text layer (a scanned page?); its content is checked only when read by OCR.",
        "ocr_unavailable": "Page {page} could not be read by OCR: tesseract with Swedish is missing ({hint}).",
        "ocr_failed": "OCR of page {page} failed; the page is not checked.",
        "ocr_page": "Page {page} was read by OCR: its figures are readings, and a sum that fails only on them needs manual review.",
        "pdf_tags_not_used": "The PDF's tag structure was not used ({reason}); its tables were read from the pages' lines and word positions.",
        "formula_without_value": "The formula in {sheet}!{cell} has no saved value (the workbook was not recalculated); the cell is read as empty.",
        "hidden_sheet": "The sheet «{sheet}» is hidden and is not read.",
    },
}
PLACE = {
    "sv": {"line": "rad", "page": "sida", "paragraph": "stycke", "table": "tabell", "row": "rad", "column": "kolumn", "sheet": "blad", "cell": "cell"},
    "en": {"line": "line", "page": "page", "paragraph": "paragraph", "table": "table", "row": "row", "column": "column", "sheet": "sheet",
           "cell": "cell"},
}


def notice_text(lang: str, code: str, params: dict) -> str:
    table = NOTICES.get(lang, NOTICES["en"])
    template = table.get(code)
    if template is None:
        return f"{code}: {params}"
    # a parameter that is itself a code of the table (a reason) is said in words too
    params = {k: table.get(v, v) if isinstance(v, str) else v for k, v in params.items()}
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template


def place(location: dict, lang: str) -> str:
    """'tabell 3, rad 5, kolumn 2' for the document fields of a location (not its line)."""
    words = PLACE.get(lang, PLACE["en"])
    return ", ".join(f"{words[k]} {location[k]}" for k in ("page", "paragraph", "table", "row", "column", "sheet", "cell")
                     if location.get(k) is not None)


def plural(lang: str, key: str, n: int) -> str:
    """'1 planversion' / '2 planversioner': the counted word of STRINGS[key] ('singular|plural') for n.

    Swedish and English both use the singular for exactly one (and the plural for none)."""
    one, other = STRINGS.get(lang, STRINGS["en"])[key].split("|")
    return (one if n == 1 else other).format(n=n)


def strings(lang: str) -> dict[str, str]:
    """All UI strings of a language (for templates)."""
    return STRINGS.get(lang, STRINGS["en"])


def t(lang: str, key: str, **kwargs: object) -> str:
    text = STRINGS.get(lang, STRINGS["en"])[key]
    return text.format(**kwargs) if kwargs else text


def position(location: dict, lang: str) -> str:
    """'rad 12' or 'tabell 3, rad 5, kolumn 2' (or both): where in its file a location stands."""
    line = f"{PLACE.get(lang, PLACE['en'])['line']} {location['line']}" if location.get("line") else ""
    return ", ".join(part for part in (line, place(location, lang)) if part)


def at(location: dict, lang: str, file: str | None = None) -> str:
    """'file:12', 'file (tabell 3, rad 5, kolumn 2)' or 'file:12 (…)'; file defaults to the location's."""
    text = str(file if file is not None else location.get("file") or "")
    if location.get("line"):
        text += f":{location['line']}"
    return f"{text} ({place(location, lang)})" if place(location, lang) else text


def where(violation: dict, lang: str) -> str:
    """'file:12 · source line 159' for a violation."""
    parts = [at(violation["location"], lang)]
    src = violation["source"]
    if src.get("line"):
        parts.append(f"{src['document']} {t(lang, 'source_line', line=src['line'])}")
    elif src.get("page"):
        parts.append(f"{src['document']} {t(lang, 'source_page', page=src['page'])}")
    return " · ".join(parts)
