"""The persons file's optional card columns: old files still import, bad values are bad lines, cards are unique."""
from sqlalchemy import select

from services import idnumber
from services.db import db
from services.models import Person

from .test_registry import HEADER, counts, invoke, write

CARD_HEADER = HEADER.rstrip("\n") + ",card_no,card_status\n"
A = idnumber.make("54252319800101911")
B = idnumber.make("54252319850505912")
C = idnumber.make("54252320100101913")


def cards():
    rows = db.session.execute(select(Person.id_number, Person.card_no, Person.card_status))
    return {number: (card_no, status) for number, card_no, status in rows}


def test_cards_import_and_an_old_file_leaves_them_as_they_are(app, tmp_path):
    new = write(tmp_path, "p.csv", CARD_HEADER + f"{A},扎西,employee,542523,insured,100,normal,alk000001,normal\n"
                                                 f"{B},卓玛,employee,542523,insured,100,normal,ALK000002,lost\n"
                                                 f"{C},格桑,resident,542523,insured,,,,\n")
    result = invoke(app, "import-registry", new)
    assert result.exit_code == 0, result.output
    assert cards() == {A: ("ALK000001", "normal"), B: ("ALK000002", "lost"), C: (None, None)}
    old = write(tmp_path, "old.csv", HEADER + f"{A},扎西,employee,542523,insured,100,normal\n")
    assert invoke(app, "import-registry", old).exit_code == 0
    assert cards()[A] == ("ALK000001", "normal")
    cleared = write(tmp_path, "c.csv", CARD_HEADER + f"{B},卓玛,employee,542523,insured,100,normal,,\n")
    assert invoke(app, "import-registry", cleared).exit_code == 0
    assert cards()[B] == (None, None)


def test_bad_card_values_are_bad_lines_and_nothing_imports(app, tmp_path):
    persons = write(tmp_path, "p.csv", CARD_HEADER
                    + f"{A},扎西,employee,542523,insured,100,normal,ALK00001,normal\n"   # line 2: fine
                    + f"{B},卓玛,employee,542523,insured,100,normal,AL-001,normal\n"    # line 3: not alphanumeric
                    + f"{C},格桑,resident,542523,insured,,,ALK00001,normal\n")          # line 4: repeats line 2
    persons2 = write(tmp_path, "q.csv", CARD_HEADER
                     + f"{A},扎西,employee,542523,insured,100,normal,ALK00009,stolen\n"  # line 2: status
                     + f"{B},卓玛,employee,542523,insured,100,normal,,normal\n"         # line 3: status without card
                     + f"{C},格桑,resident,542523,insured,,,A1234,normal\n"             # line 4: too short
                     + f"{idnumber.make('54252319700101914')},次仁,resident,542523,insured,,,"
                     + "A12345678901234567890,normal\n"                               # line 5: too long
                     + f"{idnumber.make('54252319700101915')},多吉,resident,542523,insured,,,ALK00010,\n")  # line 6
    out = invoke(app, "import-registry", persons).output
    assert "persons line 3: card_no must be 6 to 20 letters and digits" in out
    assert "persons line 4: card_no repeats line 2" in out
    assert "persons line 2" not in out
    out = invoke(app, "import-registry", persons2).output
    assert "persons line 2: card_status must be normal or lost" in out
    assert "persons line 3: card_status must be empty when card_no is" in out
    assert "persons line 4: card_no must be 6 to 20 letters and digits" in out
    assert "persons line 5: card_no must be 6 to 20 letters and digits" in out
    assert "persons line 6: card_status must be normal or lost" in out
    assert counts() == (0, 0, 0)


def test_a_card_held_by_another_person_is_a_bad_line_unless_the_file_takes_it_from_him(app, tmp_path):
    invoke(app, "import-registry", write(tmp_path, "1.csv", CARD_HEADER
                                         + f"{A},扎西,employee,542523,insured,100,normal,ALK000001,normal\n"))
    stolen = write(tmp_path, "2.csv", CARD_HEADER + f"{B},卓玛,employee,542523,insured,100,normal,ALK000001,normal\n")
    result = invoke(app, "import-registry", stolen)
    assert result.exit_code == 1
    assert "persons line 2: card_no belongs to another person in the registry" in result.output
    assert B not in cards()
    moved = write(tmp_path, "3.csv", CARD_HEADER + f"{B},卓玛,employee,542523,insured,100,normal,ALK000001,normal\n"
                                                   f"{A},扎西,employee,542523,insured,100,normal,ALK000009,normal\n")
    result = invoke(app, "import-registry", moved)
    assert result.exit_code == 0, result.output
    assert cards() == {A: ("ALK000009", "normal"), B: ("ALK000001", "normal")}
