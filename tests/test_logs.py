"""Log lines are JSON and keep no ID number, token, voucher or invitation code (logsafe.mask)."""
import json
import logging

import pytest

import logsafe


@pytest.mark.parametrize("raw, safe", [
    ("GET /i/Zm9vYmFyYmF6cXV4 200", "GET /i/<code> 200"),
    ("POST /api/v1/invitations/abc-DEF_123/accept", "POST /api/v1/invitations/<code>/accept"),
    ("GET /api/v1/invitations?status=pending", "GET /api/v1/invitations?status=pending"),
    ("person 54252319800101003X failed", "person <id_number> failed"),
    ("id=542523195001010035,", "id=<id_number>,"),
    ("order 1234567890123456789012 kept", "order 1234567890123456789012 kept"),  # not 18 characters
    ("Authorization: Bearer abc.def", "Authorization: Bearer <token>"),
    ("token eyJhbGciOi.eyJzdWIiOi.c2ln", "token <token>"),
    ("scan GJV1.12.1790000000.deadbeef", "scan <voucher>"),
    ("scan GJO2" + "a1" * 22 + " done", "scan <voucher> done"),
])
def test_mask(raw, safe):
    assert logsafe.mask(raw) == safe


def test_every_record_is_a_masked_json_line(app, capsys):
    logging.getLogger("services.example").warning("could not link %s", "54252319800101003X")
    line = json.loads(capsys.readouterr().err.strip().splitlines()[-1])
    assert (line["level"], line["logger"], line["message"]) == ("warning", "services.example",
                                                                 "could not link <id_number>")


def test_a_request_id_is_honoured_when_sane_and_issued_otherwise(client):
    assert client.get("/healthz", headers={"X-Request-Id": "lb-7f3a.2"}).headers["X-Request-Id"] == "lb-7f3a.2"
    issued = client.get("/healthz", headers={"X-Request-Id": "no spaces or {json} here"}).headers["X-Request-Id"]
    assert len(issued) == 32 and int(issued, 16) >= 0


def test_a_method_we_do_not_know_is_logged_as_other(client, capsys):
    """A client may put any token where the method goes (an ID number too): the log line names none of it."""
    capsys.readouterr()
    assert client.open("/healthz", method="54252319800101003X").status_code == 405
    err = capsys.readouterr().err
    line = json.loads(err.strip().splitlines()[-1])
    assert (line["method"], line["message"]) == ("OTHER", "OTHER <unmatched> 405") and "54252319800101003X" not in err


def test_the_access_log_masks_every_field_its_format_names_whatever_the_case(monkeypatch, tmp_path):
    """gunicorn.conf.py's access log: a header an operator names in capitals is masked like the path."""
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))   # the file sets it for the workers, not for us
    import importlib.util
    from datetime import timedelta
    from types import SimpleNamespace

    from gunicorn.config import Config
    from gunicorn.glogging import SafeAtoms

    spec = importlib.util.spec_from_file_location("gunicorn_conf", "gunicorn.conf.py")
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    cfg = Config()
    cfg.set("access_log_format", '"%(m)s %(U)s" %({X-Forwarded-Note}i)s')
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": "/i/c0de", "PATH_INFO": "/i/c0de", "SERVER_PROTOCOL": "HTTP/1.1"}
    atoms = conf.MaskingLogger(cfg).atoms(SimpleNamespace(status="200 OK", headers=[], sent=2),
                                          SimpleNamespace(headers=[("X-Forwarded-Note", "54252319800101003X")]),
                                          environ, timedelta(milliseconds=3))
    line = cfg.access_log_format % SafeAtoms(atoms)   # as gunicorn writes the line
    assert line == '"GET /i/<code>" <id_number>', line
