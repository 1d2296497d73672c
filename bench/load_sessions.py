"""Sign in N demo users against a running Saferboard and print one session cookie per line.

Used by bench/load.sh; talks to the server over HTTP like a browser would (GET the
sign-in form for its CSRF token, POST the credentials).
"""

from __future__ import annotations

import argparse
import http.cookiejar
import re
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base", default="http://127.0.0.1:8123")
    parser.add_argument("--count", type=int, default=25)
    args = parser.parse_args()
    if not args.base.startswith(("http://127.0.0.1", "http://localhost")):
        raise SystemExit("load tests only target loopback addresses")
    for i in range(args.count):
        print(sign_in(args.base, USERS[i % len(USERS)]))


if __name__ == "__main__":
    main()
