"""Reads every kind of Quire feed with feedparser, as feed readers do, from a running archive.

Usage: python feeds.py BASE_URL

Finds a tag feed (a fandom's, from the API), the feed of every work and of a filtered listing
(`/works/feed.atom?fandom=…&rating=…`), a creator's feed and a series' feed (from the creators the
home page links), then asserts for each: no bozo (feedparser's flag for a feed that
is not well-formed or not what it claims), the feed's required elements, and for every entry an
id, title, link, dates, author, summary and tags. Prints one line per feed; exits 1 on the first
problem.
"""

import json
import re
import sys
import urllib.parse
import urllib.request

import feedparser


def get(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode("utf-8")


def check(url):
    feed = feedparser.parse(url)
    if feed.bozo:
        raise AssertionError(f"{url}: bozo: {feed.bozo_exception!r}")
    if feed.version != "atom10":
        raise AssertionError(f"{url}: read as {feed.version!r}, not Atom 1.0")
    if feed.get("status") != 200:
        raise AssertionError(f"{url}: status {feed.get('status')}")
    for key in ("id", "title", "updated", "links", "author"):
        if not feed.feed.get(key):
            raise AssertionError(f"{url}: the feed has no {key}")
    if not any(link.get("rel") == "self" for link in feed.feed.links):
        raise AssertionError(f"{url}: no self link")
    if not feed.entries:
        raise AssertionError(f"{url}: no entries")
    ids = set()
    for entry in feed.entries:
        for key in ("id", "title", "link", "updated", "published", "summary", "author", "tags"):
            if not entry.get(key):
                raise AssertionError(f"{url}: entry {entry.get('id')!r} has no {key}")
        if entry.id in ids:
            raise AssertionError(f"{url}: entry id {entry.id} twice")
        ids.add(entry.id)
    print(f"ok {url}: {len(feed.entries)} entries")


def main(base):
    base = base.rstrip("/")
    fandoms = json.loads(get(f"{base}/api/v1/fandoms"))["fandoms"]
    feeds = [base + fandoms[0]["feed_url"], f"{base}/works/feed.atom"]
    filters = urllib.parse.urlencode({"fandom": fandoms[0]["name"]})
    feeds.append(f"{base}/works/feed.atom?{filters}")
    logins = []
    # Creators' pages, not the header's account links (`/users/login`, `/users/new`).
    for login in re.findall(r'href="/users/([^"/?]+)"', get(f"{base}/")):
        if login not in logins and login not in ("login", "new"):
            logins.append(login)
    if not logins:
        raise AssertionError("the home page links no creator")
    feeds.append(f"{base}/users/{logins[0]}/works/feed.atom")
    for login in logins:
        user = json.loads(get(f"{base}/api/v1/users/{login}"))
        if user["series"]:
            feeds.append(base + f"/series/{user['series'][0]['id']}/feed.atom")
            break
    else:
        raise AssertionError("no creator on the home page has a series")
    for url in feeds:
        check(url)


if __name__ == "__main__":
    try:
        main(sys.argv[1])
    except AssertionError as problem:
        print(problem, file=sys.stderr)
        sys.exit(1)
