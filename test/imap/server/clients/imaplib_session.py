"""Python's imaplib against Eider: one session covering the common calls.
Prints one JSON object with what the server answered, for the test to check."""
import imaplib
import json
import ssl
import sys

host, port, user, password = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
out = {}

m = imaplib.IMAP4(host, port)
out["capabilities"] = sorted(m.capabilities)
ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
out["starttls"] = m.starttls(ssl_context=ctx)[0]
out["login"] = m.login(user, password)[0]
typ, boxes = m.list()
out["list"] = [b.decode() for b in boxes]
out["create"] = m.create("Python/Sub")[0]
message = b"From: py@example.com\r\nSubject: from python\r\n\r\nHello from imaplib.\r\n"
typ, data = m.append("INBOX", "(\\Flagged)", imaplib.Time2Internaldate(1767225600), message)
out["append"] = [typ, data[0].decode()]
typ, data = m.select("INBOX")
out["select"] = [typ, data[0].decode()]
typ, data = m.search(None, "FLAGGED")
out["search"] = data[0].decode()
typ, data = m.uid("SEARCH", None, "SUBJECT", "python")
out["uid_search"] = data[0].decode()
typ, data = m.fetch("1", "(FLAGS RFC822)")
out["fetch_flags"] = data[0][0].decode()
out["fetch_body"] = data[0][1].decode()
typ, data = m.store("1", "+FLAGS", "(\\Deleted)")
out["store"] = data[0].decode()
typ, data = m.copy("1", "Python/Sub")
out["copy"] = typ
typ, data = m.expunge()
out["expunge"] = [d.decode() for d in data if d]
typ, data = m.status("Python/Sub", "(MESSAGES UIDNEXT)")
out["status"] = data[0].decode()
out["noop"] = m.noop()[0]
out["close"] = m.close()[0]
out["logout"] = m.logout()[0]
print(json.dumps(out))
