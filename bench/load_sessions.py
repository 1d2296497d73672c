"""Sign in N demo users against a running Saferboard and print, per user, a session
cookie and the pages that user may open (tab-separated: cookie, then paths).

Used by bench/load.sh; talks to the server over HTTP like a browser would (GET the
sign-in form for its CSRF token, POST the credentials). Each candidate path is tried once
per role: a user browses only pages their role opens (a police partner lead is refused
the youth justice page, and real users do not keep asking for it).
"""

from __future__ import annotations

import argparse
import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request

USERS = ["coordinator", "partner.lead", "board.member", "analyst", "yos.head", "administrator"]
PASSWORD = "saferboard-demo"  # noqa: S105 - the demo's published password


def sign_in(base: str, username: str) -> str:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/sign-in/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token, "no CSRF token on the sign-in page"
    data = urllib.parse.urlencode(
        {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)}
    ).encode()
    request = urllib.request.Request(  # noqa: S310
        f"{base}/sign-in/", data=data, headers={"Referer": f"{base}/sign-in/"}
    )
    opener.open(request).read()
    session = next((c for c in jar if c.name == "sessionid"), None)
    assert session, f"signing in as {username} failed"
    return f"sessionid={session.value}"


def allowed(base: str, cookie: str, paths: list[str]) -> list[str]:
    """The paths that answer 200 for this session."""
    found = []
    for path in paths:
        request = urllib.request.Request(f"{base}{path}", headers={"Cookie": cookie})  # noqa: S310
        try:
            with urllib.request.urlopen(request) as response:  # noqa: S310  # nosec B310 - loopback only
                if response.status == 200:
                    found.append(path)
        except urllib.error.HTTPError:
            continue
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base", default="http://127.0.0.1:8123")
    parser.add_argument("--count", type=int, default=25)
    parser.add_argument("--paths", required=True, help="file of candidate paths, one a line")
    args = parser.parse_args()
    if not args.base.startswith(("http://127.0.0.1", "http://localhost")):
        raise SystemExit("load tests only target loopback addresses")
    with open(args.paths, encoding="utf-8") as f:
        candidates = [line.strip() for line in f if line.strip()]
    by_role: dict[str, list[str]] = {}
    for i in range(args.count):
        username = USERS[i % len(USERS)]
        cookie = sign_in(args.base, username)
        if username not in by_role:
            by_role[username] = allowed(args.base, cookie, candidates)
        print(cookie + "\t" + " ".join(by_role[username]))


if __name__ == "__main__":
    main()
