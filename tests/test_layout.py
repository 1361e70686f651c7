"""The house's shape (STYLE.md): services/ in rooms whose imports go one way, and modules a reader can hold."""
import ast
import pathlib

import pytest

HOME = pathlib.Path(__file__).resolve().parent.parent
SERVICES = HOME / "services"
# Lower rooms never import higher ones; the plumbing at the root and models/ import no room at all.
ROOMS = ["", "models", "notify", "people", "family", "money", "checkout", "admin"]
LONGEST = 250


def room_of(path: pathlib.Path) -> str:
    parts = path.relative_to(SERVICES).parts
    return "" if len(parts) == 1 else parts[0]


def imported_rooms(path: pathlib.Path, home: pathlib.Path = HOME):
    """(line, room) of every services module this file imports, resolved from relative and absolute imports."""
    package = path.relative_to(home).with_suffix("").parts[:-1]
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.ImportFrom):
            continue
        base = list(package[:len(package) - node.level + 1]) if node.level else []
        target = base + (node.module.split(".") if node.module else [])
        if target[:1] != ["services"]:
            continue
        names = [target + [alias.name] for alias in node.names] if len(target) < 3 else [target]
        for dotted in names:
            inner = dotted[1:]
            room = inner[0] if inner and (home / "services" / inner[0]).is_dir() else ""
            yield node.lineno, room


def service_modules():
    return sorted(p for p in SERVICES.rglob("*.py"))


@pytest.mark.parametrize("path", service_modules(), ids=lambda p: str(p.relative_to(SERVICES)))
def test_a_service_module_imports_only_its_own_room_and_the_rooms_below(path):
    mine = ROOMS.index(room_of(path))
    upward = [(line, room) for line, room in imported_rooms(path) if ROOMS.index(room) > mine]
    assert upward == [], f"{path.relative_to(HOME)} imports a higher room (line, room): {upward}"


# The settings reader and the database handle are where Flask's application context is met, once.
ALLOWED_FLASK = {"settings.py", "db.py"}


@pytest.mark.parametrize("path", service_modules(), ids=lambda p: str(p.relative_to(SERVICES)))
def test_services_never_import_the_web_layers(path):
    tree = ast.parse(path.read_text())
    modules = {n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module and not n.level}
    modules |= {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert not modules & {"mini", "nhsa", "flask"} - ({"flask"} if path.name in ALLOWED_FLASK else set())



def test_every_room_says_what_it_holds():
    for room in ROOMS[2:]:
        assert ast.get_docstring(ast.parse((SERVICES / room / "__init__.py").read_text())), room


def test_no_module_is_longer_than_a_reader_holds():
    sources = [p for folder in ("services", "mini", "nhsa") for p in (HOME / folder).rglob("*.py")]
    sources += list(HOME.glob("*.py"))
    long = {str(p.relative_to(HOME)): n for p in sources if (n := len(p.read_text().splitlines())) > LONGEST}
    assert long == {}


def test_the_layout_check_sees_an_upward_import(tmp_path):
    """The room check itself can fail: a money module importing checkout is reported."""
    assert "checkout" not in {room for _, room in imported_rooms(SERVICES / "money" / "ledger.py")}
    wrong = tmp_path / "services" / "money" / "wrong.py"
    wrong.parent.mkdir(parents=True)
    (tmp_path / "services" / "checkout").mkdir()
    wrong.write_text("from ..checkout import settlement\nfrom .. import db\n")
    assert [room for _, room in imported_rooms(wrong, home=tmp_path)] == ["checkout", ""]


def test_tables_go_by_their_names_not_letters():
    """`SETTLEMENTS.c.status`, not `S.c.status`: a statement reads as what it asks."""
    short = []
    for path in service_modules():
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.Assign):
                targets = [t for target in node.targets
                           for t in (target.elts if isinstance(target, ast.Tuple) else [target])]
                short += [f"{path.relative_to(HOME)}:{node.lineno} {t.id}" for t in targets
                          if isinstance(t, ast.Name) and len(t.id) <= 2 and t.id.isupper()]
    assert short == []
