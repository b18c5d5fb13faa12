"""The messages a user reads, in French and English: one validation, two languages; every
message key the code uses is in the label table with the same fields; the CLI's language
follows --lang, else the scenario's own language (even when the scenario has problems)."""

from __future__ import annotations

import ast
import re
import string
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

import bondkit
from bondkit.cli import main
from bondkit.errors import BondkitError, Message, Problem, ScenarioError, format_problems
from bondkit.labels import LABELS
from bondkit.scenario import parse_scenario
from bondkit.scenario.messages import TOML_REASONS

PACKAGE = Path(bondkit.__file__).resolve().parent
#: by module, the functions whose first argument is a message key of LABELS and whose
#: keywords are its fields
KEYED_CALLS = {
    "scenario": {"Message", "fail"},  # the package: every module in it
    "cli.py": {"Message", "_say"},
    "errors.py": {"Message"},
}


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _write(tmp_path: Path, text: str, name: str = "scenario.toml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


# ---------------------------------------------------------------- the keys the code uses


def _keyed_calls(module: str) -> list[tuple[int, list[str], set[str] | None]]:
    """(line, the keys it may use, its keyword names) of each keyed call in a module; the
    key list is empty when the first argument is not a literal key (an f-string...)."""
    found = []
    where = PACKAGE / module
    sources = sorted(where.rglob("*.py")) if where.is_dir() else [where]
    trees = [ast.parse(p.read_text(encoding="utf-8")) for p in sources]
    for node in (n for tree in trees for n in ast.walk(tree)):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        if name not in KEYED_CALLS[module]:
            continue
        first = node.args[0]
        options = [first.body, first.orelse] if isinstance(first, ast.IfExp) else [first]
        keys = [
            o.value for o in options if isinstance(o, ast.Constant) and isinstance(o.value, str)
        ]
        if len(keys) != len(options):
            keys = []
        spread = any(k.arg is None for k in node.keywords)  # **fields: not checked
        fields = None if spread else {k.arg for k in node.keywords}
        found.append((node.lineno, keys, fields))
    return found


@pytest.mark.parametrize(("module", "least"), [("scenario", 90), ("cli.py", 12), ("errors.py", 2)])
def test_every_message_key_in_the_code_is_a_label_with_the_same_fields(module, least):
    calls = _keyed_calls(module)
    assert len(calls) >= least  # the scan does find them
    for line, keys, fields in calls:
        if not keys and fields is None:
            continue  # plumbing that passes a key on: Message(key, **fields)
        assert keys, f"{module}:{line}: a message must be a literal key of LABELS, not text"
        for key in keys:
            assert key in LABELS, f"{module}:{line}: no label {key!r}"
            if fields is not None:
                en, fr = LABELS[key]
                assert _fields(en) == fields, f"{module}:{line}: {key} takes {_fields(en)}"


def test_no_english_sentence_is_left_in_the_validators():
    """Messages go through keys: no string constant of the scenario package reads like a
    message."""
    sources = sorted((PACKAGE / "scenario").rglob("*.py"))
    assert sources
    tree = ast.Module(
        body=[ast.parse(p.read_text(encoding="utf-8")) for p in sources], type_ignores=[]
    )
    docstrings = {
        id(n.body[0].value)
        for n in ast.walk(tree)
        if isinstance(n, ast.Module | ast.ClassDef | ast.FunctionDef)
        and n.body
        and isinstance(n.body[0], ast.Expr)
    }
    sentences = re.compile(r"^(must|required|unknown|applies|give|needs|is |no |cannot)")
    left = [
        n.value
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docstrings
        if sentences.match(n.value)
    ]
    joined = [n for n in ast.walk(tree) if isinstance(n, ast.JoinedStr)]
    texts = [ast.unparse(n) for n in joined if sentences.match(ast.unparse(n)[2:])]
    assert left == [] and texts == []


def test_every_toml_reason_is_a_label_with_the_pattern_s_fields():
    for pattern, key in TOML_REASONS:
        assert key in LABELS, key
        assert _fields(LABELS[key][0]) == set(pattern.groupindex), key


def test_french_messages_follow_the_house_typography():
    """A plain space (never a non-breaking one) before ":"; none before ";" or "?"."""
    for key, (_, fr) in LABELS.items():
        if not key.startswith(("msg.", "cli.", "toml.")):
            continue
        assert "\u00a0" not in fr, key
        assert not re.search(r"[^\s]: ", fr), f"{key}: no space before ':' in {fr!r}"
        assert " ;" not in fr and " ?" not in fr, key


# ---------------------------------------------------------------- one validation, two languages

MANY = """\
[scenario]
name = "Essai"
language = "fr"
colour = "bleu"

[issuer]
name = "Coop"
fiscal_year_end = "31-12"

[[series]]
id = "A"
amount = 100_250
face_value = 500
annual_rate = 4
issue_date = "2025-01-15"
term_years = 5
repayment = "balloon"

[[series]]
id = "A"
amount = 1000
face_value = 100
annual_rate = 0.03
issue_date = 2025-01-15
repayment = "bullet"
rate = 0.04

[costs]
upfront = -1
annual_admn = 5
"""

MANY_FR = [
    "scenario.colour : clé inconnue",
    'issuer.fiscal_year_end : doit être un mois et un jour écrits "MM-DD", par exemple "12-31" '
    '(vous avez écrit "31-12")',
    "series[1].amount : doit être un multiple entier de face_value 500, "
    "par exemple 100000 ou 100500 (vous avez écrit 100250)",
    "series[1].annual_rate : doit être une fraction, par exemple 0.04 (vous avez écrit 4)",
    "series[1].issue_date : doit être une date écrite sans guillemets : 2025-01-15 "
    '(vous avez écrit "2025-01-15")',
    "series[1].repayment : doit être l'une des valeurs suivantes : bullet, accumulating, "
    'level-payment, level-principal, sculpted (vous avez écrit "balloon")',
    'series[2].id : doit être unique : series[1] a le même id (vous avez écrit "A")',
    "series[2].term_years : obligatoire (absent) : indiquez term_years ou maturity_date",
    "series[2].rate : clé inconnue (vouliez-vous dire annual_rate?)",
    "costs.upfront : ne doit pas être négatif (vous avez écrit -1)",
    "costs.annual_admn : clé inconnue (vouliez-vous dire annual_admin?)",
]

MANY_EN = [
    "scenario.colour: unknown key",
    'issuer.fiscal_year_end: must be a month and day written "MM-DD", such as "12-31" '
    '(you wrote "31-12")',
    "series[1].amount: must be a whole multiple of face_value 500, such as 100000 or 100500 "
    "(you wrote 100250)",
    "series[1].annual_rate: must be a fraction such as 0.04 (you wrote 4)",
    'series[1].issue_date: must be a date written without quotes: 2025-01-15 (you wrote "2025-01-15")',
    "series[1].repayment: must be one of bullet, accumulating, level-payment, level-principal, "
    'sculpted (you wrote "balloon")',
    'series[2].id: must be unique: series[1] has the same id (you wrote "A")',
    "series[2].term_years: required (missing): give term_years or maturity_date",
    "series[2].rate: unknown key (did you mean annual_rate?)",
    "costs.upfront: must not be negative (you wrote -1)",
    "costs.annual_admn: unknown key (did you mean annual_admin?)",
]


def test_one_validation_renders_in_both_languages():
    with pytest.raises(ScenarioError) as info:
        parse_scenario(MANY)
    exc = info.value
    assert exc.language == "fr"  # read from the file, although the file has problems
    assert exc.render("fr").splitlines() == MANY_FR
    assert exc.render("en").splitlines() == MANY_EN
    assert str(exc) == "\n".join(MANY_EN) == format_problems(exc.problems)
    assert [p.render("fr") for p in exc.problems] == MANY_FR


def test_a_scenario_with_language_fr_gets_its_problems_in_french(tmp_path):
    path = _write(tmp_path, MANY)
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.splitlines() == MANY_FR


@pytest.mark.parametrize("command", ["validate", "schedule", "run"])
def test_lang_en_overrides_the_scenario_s_language(tmp_path, command):
    path = _write(tmp_path, MANY)
    out = tmp_path / "out"
    args = [command, str(path), "--lang", "en"] + (["--out", str(out)] if command == "run" else [])
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.splitlines() == MANY_EN
    assert not out.exists()


def test_lang_fr_on_an_english_scenario(tmp_path):
    path = _write(tmp_path, MANY.replace('language = "fr"', 'language = "en"'))
    assert CliRunner().invoke(main, ["validate", str(path)]).stderr.splitlines() == MANY_EN
    result = CliRunner().invoke(main, ["validate", str(path), "--lang", "fr"])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == MANY_FR


def test_an_invalid_language_falls_back_to_english(tmp_path):
    path = _write(tmp_path, MANY.replace('language = "fr"', 'language = "de"'))
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0] == 'scenario.language: must be one of fr, en (you wrote "de")'
    assert lines[1:] == MANY_EN


def test_the_shape_of_the_file_in_french(tmp_path):
    """pydantic's own error kinds (missing, unknown key or table, wrong type) in French."""
    path = _write(
        tmp_path,
        """\
        [scenario]
        name = "Essai"
        language = "fr"

        [issuer]
        name = "Coop"
        seed = 3
        costs = 5

        [[series]]
        id = "A"
        amount = 1000
        face_value = 500
        annual_rate = 0.04
        issue_date = 2025-01-15
        term_years = 5
        repayment = "bullet"
        step_rates = 4

        [risk]
        paths = 10
        stress_probability = 0.1
        """,
    )
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "issuer.seed : clé inconnue (sa place est sous [scenario])",
        "issuer.costs : clé inconnue",
        "series[1].step_rates : doit être une liste de tables en ligne, par exemple "
        "[{ from_year = 6, annual_rate = 0.075 }] (vous avez écrit 4)",
        "risk.stress_annual_probability : obligatoire (absent) quand stress_probability est "
        "supérieur à 0 : la probabilité qu'un détenteur demande le remboursement une année de "
        "crise, au moins annual_probability 0.02",
        "risk.paths : doit être au moins 100 (vous avez écrit 10)",
    ]
    text = '[scenario]\nname = "E"\nlanguage = "fr"\n[scenario.series]\nid = "A"\n'
    result = CliRunner().invoke(main, ["validate", str(_write(tmp_path, text, "m.toml"))])
    assert result.stderr.splitlines() == [
        "scenario.series : table inconnue (sa place est en haut du fichier)",
        "issuer : obligatoire (absent)",
        "series : obligatoire (absent)",
    ]


# ---------------------------------------------------------------- TOML syntax, unreadable files


def test_a_toml_syntax_error_in_french(tmp_path):
    path = _write(tmp_path, '[scenario]\nname = "x"\nlanguage = "fr"\n[issuer\nname = "y"\n')
    result = CliRunner().invoke(main, ["validate", str(path), "--lang", "fr"])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == (
        f"{path} : erreur de syntaxe TOML : ']' attendu à la fin d'un en-tête de table "
        "(à la ligne 4, colonne 8)\n"
    )
    # its text names its language, though it is not TOML: French without --lang too
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.stderr.startswith(f"{path} : erreur de syntaxe TOML : ")
    # a file that names none: English
    path.write_text('[scenario]\nname = "x"\n[issuer\nname = "y"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.stderr == (
        f"{path}: TOML syntax error: Expected ']' at the end of a table declaration "
        "(at line 3, column 8)\n"
    )


@pytest.mark.parametrize(
    ("text", "french"),
    [
        ("a = 2025-02-30\n", "date ou date et heure invalide (à la ligne 1, colonne 5)"),
        ('a = "open\n', "caractère interdit '\\n' (à la ligne 1, colonne 10)"),
        ("a = [1, 2\n", "tableau non fermé (à la fin du document)"),
        ("a = 1\na = 2\n", "impossible de remplacer une valeur déjà donnée (à la ligne 2, colonne 6)"),
        ("a = 1 b\n", "fin de ligne ou fin du document attendue après une instruction "
         "(à la ligne 1, colonne 7)"),
    ],
    ids=["date", "unterminated", "end", "twice", "newline"],
)  # fmt: skip
def test_toml_syntax_errors_name_their_place_in_french(text, french):
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, source="f.toml")
    assert info.value.render("fr") == f"f.toml : erreur de syntaxe TOML : {french}"
    assert info.value.render("en").startswith("f.toml: TOML syntax error: ")


def test_an_unknown_toml_wording_is_shown_as_tomllib_wrote_it():
    from bondkit.scenario import toml_syntax_message

    class Odd(Exception):
        def __str__(self) -> str:
            return "Something new (at line 3, column 1)"

    message = toml_syntax_message(Odd())  # type: ignore[arg-type]
    assert message.render("fr") == (
        "erreur de syntaxe TOML : Something new (à la ligne 3, colonne 1)"
    )


def test_a_missing_file_in_french(tmp_path):
    path = tmp_path / "nope.toml"
    result = CliRunner().invoke(main, ["validate", str(path), "--lang", "fr"])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{path} : impossible de lire le fichier : ")


def test_a_file_that_is_not_utf8_in_french(tmp_path):
    path = tmp_path / "latin1.toml"
    path.write_bytes('[scenario]\nname = "Cinéma"\n'.encode("latin-1"))
    result = CliRunner().invoke(main, ["validate", str(path), "--lang", "fr"])
    assert result.stderr == (
        f"{path} : n'est pas du texte UTF-8 (octet 23) : enregistrez-le en UTF-8\n"
    )


# ---------------------------------------------------------------- the other lines of the CLI

RULE_BREACH = """\
[scenario]
name = "Essai"
language = "fr"
[issuer]
name = "Coop"
legal_form = "coop"
[[series]]
id = "A"
amount = 1000
face_value = 500
annual_rate = 0.04
issue_date = 2025-01-15
term_years = 5
repayment = "bullet"
[campaign]
opens = 2024-10-01
closes = 2024-12-01
minimum = 500
target = 1000
rule_set = "qc-npo"
simulations = 100
[[campaign.segments]]
name = "M"
people = 10
reached = 1
conversion = 0.5
ticket_median = 500
[campaign.costs]
commission_rate = 0.02
"""


def test_run_in_french_says_what_it_wrote_and_warns_in_french(tmp_path):
    path = _write(tmp_path, RULE_BREACH, "essai.toml")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["run", str(path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "avertissement : règles 'qc-npo' : legal_form : limite des règles : npo; "
        "valeur du scénario : coop",
        "avertissement : règles 'qc-npo' : commission : limite des règles : aucune commission; "
        "valeur du scénario : 0.02",
    ]
    charts = len(list((out / "charts").iterdir()))
    lines = result.stdout.splitlines()
    # the answer first: the four questions in French, then what was written
    questions = ["Pouvons-nous réunir la somme ?", "En avons-nous les moyens ?",
                 "Combien cela coûte-t-il ?", "Qu'est-ce qui pourrait mal tourner ?"]  # fmt: skip
    for line, question in zip(lines[:4], questions, strict=True):
        assert line.startswith(question + " "), line
    assert "[Sans objet]" in lines[3]  # no [risk] table
    assert lines[4:] == [
        f"classeur : {out / 'essai.xlsx'}",
        f"sommaire : {out / 'essai-summary.json'}",
        f"graphiques : {out / 'charts'}/ ({charts} fichiers)",
    ]
    english = CliRunner().invoke(main, ["run", str(path), "--out", str(out), "--lang", "en"])
    assert english.stderr.splitlines() == [
        "warning: rule set 'qc-npo': legal_form: the rule allows npo, the scenario has coop",
        "warning: rule set 'qc-npo': commission: the rule allows no commission, "
        "the scenario has 0.02",
    ]
    assert english.stdout.splitlines()[0].startswith("Can we raise it? ")
    assert english.stdout.splitlines()[4] == f"workbook: {out / 'essai.xlsx'}"


@pytest.mark.parametrize(
    ("exc", "french"),
    [
        (BondkitError("disk on fire"), "bondkit : disk on fire"),
        (BondkitError(Message("msg.not_empty")), "bondkit : ne doit pas être vide"),
        (ValueError("bad rate"), "bondkit : impossible de calculer ce scénario : bad rate"),
        (KeyError("A"), "bondkit : erreur interne, veuillez la signaler : KeyError : 'A'"),
    ],
    ids=["bondkit-error", "bondkit-error-message", "value-error", "internal"],
)
def test_the_last_resort_line_in_the_scenario_s_language(tmp_path, monkeypatch, exc, french):
    import bondkit.core.schedule

    def broken(*args, **kwargs):
        raise exc

    monkeypatch.setattr(bondkit.core.schedule, "issue_schedule", broken)
    path = _write(tmp_path, RULE_BREACH)
    result = CliRunner().invoke(main, ["schedule", str(path)])
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == french + "\n"


def test_compare_lists_every_file_s_problems_in_the_first_file_s_language(tmp_path):
    good = _write(tmp_path, RULE_BREACH, "good.toml")
    bad = _write(tmp_path, RULE_BREACH.replace("annual_rate = 0.04", "annual_rate = 4"), "bad.toml")
    broken = _write(tmp_path, "[scenario\n", "broken.toml")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["compare", str(good), str(bad), str(broken), "--out", str(out)]
    )
    assert result.exit_code == 2 and not out.exists()
    assert result.stderr.splitlines() == [
        f"{bad} : series[1].annual_rate : doit être une fraction, par exemple 0.04 (vous avez écrit 4)",
        f"{broken} : erreur de syntaxe TOML : ']' attendu à la fin d'un en-tête de table "
        "(à la ligne 1, colonne 10)",
    ]
    english = CliRunner().invoke(
        main, ["compare", str(good), str(bad), "--out", str(out), "--lang", "en"]
    )
    assert english.stderr == (
        f"{bad}: series[1].annual_rate: must be a fraction such as 0.04 (you wrote 4)\n"
    )
    one = CliRunner().invoke(main, ["compare", str(good)])
    assert one.exit_code == 2
    assert one.stderr == "bondkit compare : indiquez au moins deux fichiers de scénario\n"


def test_init_speaks_the_language_it_writes(tmp_path):
    path = tmp_path / "nouveau.toml"
    result = CliRunner().invoke(main, ["init", str(path), "--lang", "fr"])
    assert result.stdout == f"{path} écrit; modifiez-le, puis : bondkit validate {path}\n"
    again = CliRunner().invoke(main, ["init", str(path), "--lang", "fr"])
    assert again.exit_code == 1
    assert again.stderr == (
        f"bondkit : {path} existe déjà; choisissez un autre nom (rien n'a été écrit)\n"
    )


def test_plain_text_problems_are_shown_as_they_are():
    problem = Problem("costs.upfront", "some text from elsewhere", "5")
    assert problem.render("fr") == "costs.upfront : some text from elsewhere (vous avez écrit 5)"
    assert str(problem) == "costs.upfront: some text from elsewhere (you wrote 5)"
