"""Safe defaults: outside development the app needs a real secret, real signing keys and a named identity provider."""
import base64
import os
import re
import subprocess

import pytest

from app import create_app

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MEMORY = {"SQLALCHEMY_DATABASE_URI": "sqlite://"}
STRONG = "Zq3vW8nR2xLk7Pd5Ty9Hb4Mc6Fg1Js0A"  # 32 characters, 32 different ones


@pytest.fixture
def bare_env(monkeypatch):
    """The environment of a server nobody configured."""
    for name in ("GONGJI_ENV", "FLASK_ENV", "SECRET_KEY", "IDENTITY_PROVIDER", "JWT_KEYS", "PII_KEYS", "PII_INDEX_KEY"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def sealed_keys(env):
    """The keys production seals ID numbers under (tested on their own in test_ops.py)."""
    env.setenv("PII_KEYS", "k1=" + base64.b64encode(b"k" * 32).decode())
    env.setenv("PII_INDEX_KEY", base64.b64encode(b"i" * 32).decode())


def test_without_secret_key_the_app_refuses_to_start(bare_env):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(MEMORY)


def test_without_identity_provider_the_app_refuses_to_start(bare_env):
    bare_env.setenv("SECRET_KEY", STRONG)
    with pytest.raises(RuntimeError, match="IDENTITY_PROVIDER must be set"):
        create_app(MEMORY)
    bare_env.setenv("IDENTITY_PROVIDER", "dev")
    with pytest.raises(RuntimeError, match="dev:<openid>"):
        create_app(MEMORY)
    bare_env.setenv("IDENTITY_PROVIDER", "wechat")
    sealed_keys(bare_env)
    config = create_app(MEMORY).config
    assert (config["GONGJI_ENV"], config["IDENTITY_PROVIDER"]) == ("production", "wechat")


def test_development_says_so_and_gets_the_development_defaults(bare_env):
    bare_env.setenv("GONGJI_ENV", "development")
    config = create_app(MEMORY).config
    assert config["IDENTITY_PROVIDER"] == "dev" and len(config["SECRET_KEY"]) >= 32


@pytest.mark.parametrize("jwt_keys, refused", [
    ("k2=" + STRONG[:31], True),                       # 31 bytes
    ("k2=" + STRONG + ",k1=short", True),              # an old key that still verifies is as weak
    ("k2=" + "藏ཀཁགངཅཆཇཉཏཐ", False),                   # 33 bytes of UTF-8, 11 different characters
    ("k2=" + STRONG + ",k1=" + STRONG[::-1], False),
    ("k2=" + STRONG + ",k1=" + "i" * 40, True),        # 40 bytes, one character: no secret
])
def test_short_jwt_keys_are_refused_in_production(bare_env, jwt_keys, refused):
    bare_env.setenv("SECRET_KEY", STRONG)
    bare_env.setenv("IDENTITY_PROVIDER", "wechat")
    bare_env.setenv("JWT_KEYS", jwt_keys)
    sealed_keys(bare_env)
    if refused:
        with pytest.raises(RuntimeError, match="JWT_KEYS"):
            create_app(MEMORY)
    else:
        assert create_app(MEMORY).config["JWT_KEYS"] == jwt_keys


def test_make_and_ci_run_in_development_themselves():
    """make run, test, test-pg and bench, and .ci/run, say GONGJI_ENV=development (nobody has to remember)."""
    out = subprocess.run(["make", "-n", "-B", "run", "test", "test-pg", "bench"], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout.replace("\\\n", " ")
    commands = [line for line in out.splitlines() if re.search(r"bin/(flask|gunicorn)|-m (pytest|bench)", line)]
    assert len(commands) == 5 and all("GONGJI_ENV=development" in c for c in commands), commands
    with open(os.path.join(ROOT, ".ci", "run")) as fh:
        assert "export GONGJI_ENV=development" in fh.read()


@pytest.mark.parametrize("provider", ["WeChat", "DEV", "bogus", " wechat", "wechat "])
@pytest.mark.parametrize("env", ["production", "development"])
def test_a_misspelt_identity_provider_refuses_to_start(bare_env, provider, env):
    """Issue 22, break 4: IDENTITY_PROVIDER=WeChat started the app and /auth/verify linked by name alone."""
    bare_env.setenv("GONGJI_ENV", env)
    bare_env.setenv("SECRET_KEY", STRONG)
    bare_env.setenv("IDENTITY_PROVIDER", provider)
    sealed_keys(bare_env)
    with pytest.raises(RuntimeError, match="IDENTITY_PROVIDER must be exactly"):
        create_app(MEMORY)


@pytest.mark.parametrize("secret", [" " * 32, "\t" * 40, "x" * 64, "ab" * 20, "abcdefghi " * 4,
                                    STRONG[:31]])
def test_a_secret_key_without_entropy_refuses_to_start(bare_env, secret):
    """Issue 22, minor: a SECRET_KEY of 32 spaces was accepted. 32 characters, 10 different (not whitespace)."""
    bare_env.setenv("SECRET_KEY", secret)
    bare_env.setenv("IDENTITY_PROVIDER", "wechat")
    sealed_keys(bare_env)
    with pytest.raises(RuntimeError, match="SECRET_KEY must be set to a random value"):
        create_app(MEMORY)
    bare_env.setenv("SECRET_KEY", STRONG)
    assert create_app(MEMORY).config["SECRET_KEY"] == STRONG
