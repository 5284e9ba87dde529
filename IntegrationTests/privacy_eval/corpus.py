#!/usr/bin/env python3
"""The labelled privacy corpus: secrets and personal data by type, each in several placements, and benign
values that real telemetry carries. Written from the public formats (vendor documentation, the test
fixtures of open detectors); no value belongs to a real person or account.

`positives()` yields (type, placement, key, value, core): `core` is the part that must not leave the
process in any recognisable form. `benign()` yields (kind, key, value): values that must arrive unchanged.
"""
import json
import urllib.parse

# type -> examples (the sensitive core). Formats from public documentation and detector test fixtures.
SECRETS = {
    "aws_access_key_id": ["AKIAIOSFODNN7EXAMPLE", "AKIAI44QH8DHBEXAMPLE", "ASIAY34FZKBOKMUTVV7A"],
    "github_token": ["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", "gho_16C7e42F292c6912E7710c838347Ae178B4a",
                     "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWX"],
    "gitlab_token": ["glpat-xxxxxxxxxxxxxxxxxxxx", "glpat-1234567890abcdefghij"],
    "slack_token": ["xoxb-263594206564-2343594206564-FGqddMF8t08v8N7Oq4i57vs1", "xoxp-123456789012-123456789012-123456789012-abcdef"],
    "stripe_key": ["sk_live_4eC39HqLyjWDarjtT1zdp7dc", "rk_live_51H8x9aK2eZvKYlo2C0aBcDeF", "sk_test_4eC39HqLyjWDarjtT1zdp7dc"],
    "openai_key": ["sk-proj-abcdefghijklmnopqrstuvwxyz0123456789ABCD", "sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789"],
    "google_api_key": ["AIzaSyDaGmWKa4JsXZ-HjGw7ISLn_3namBGewQe", "AIzaSyA1234567890abcdefghijklmnopqrstuv"],
    "google_oauth_token": ["ya29.a0AfH6SMBx3kLq9Zr7vW2nQpT8uYcR5eDfGhJkLmNoPqRs", "1//0gLmNoPqRsTuVwXyZaBcDeFgHiJkLmNoPq"],
    "jwt": ["eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"],
    "npm_token": ["npm_abcdefghijklmnopqrstuvwxyz0123456789"],
    "sendgrid_key": ["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"],
    "bearer_token": ["Bearer 8f14e45fceea167a5a36dedd4bea2543", "Bearer abc.def-123_456xyz789"],
    "basic_auth": ["Basic dXNlcjpwYXNzd29yZA==", "Basic YWRtaW46czNjcjN0"],
    "url_credentials": ["postgres://admin:s3cr3tpass@db.internal:5432/app", "https://deploy:ghs_tokenvalue123@git.example.com/repo.git"],
    "password_assignment": ["password=hunter2hunter2", "passwd: correct-horse-battery", "PASSWORD = Tr0ub4dor&3"],
    "api_key_assignment": ["api_key=0123456789abcdef0123", "apiKey: \"9f86d081884c7d659a2f\"", "'client_secret': 'cs_abcdef123456'"],
    "connection_string": ["AccountName=acct;AccountKey=Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA==;EndpointSuffix=core.windows.net",
                          "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey=a1b2c3d4e5f6g7h8i9j0k="],
    "cookie_header": ["Cookie: session=abc123def456ghi; csrftoken=zz9988yy", "Set-Cookie: sid=s3cr3tvalue99; Path=/; HttpOnly"],
    "private_key": ["-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7bq98\n-----END RSA PRIVATE KEY-----",
                    "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----",
                    "-----BEGIN PGP PRIVATE KEY BLOCK-----\nlQOYBF0a1b2c3d4\n-----END PGP PRIVATE KEY BLOCK-----"],
    "aws_secret_assignment": ["aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"],
    "shopify_token": ["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", "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"],
    "pypi_token": ["pypi-AgEIcHlwaS5vcmcCJDAwMDAwMDAwLTAwMDAtMDAwMC0wMDAwLTAwMDAwMDAwMDAwMAACKlsz"],
    "square_token": ["sq0atp-1a2B3c4D5e6F7g8H9i0J1k", "sq0csp-1a2B3c4D5e6F7g8H9i0J1k2L3m4N5o6P7q8R9s0T1u2V3"],
    "huggingface_token": ["hf_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789", "hf_0123456789abcdefghijABCDEFGHIJklmnop"],
    "digitalocean_token": ["dop_v1_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"],
    "twilio_api_key": ["SK0123456789abcdef0123456789abcdef", "SKa1b2c3d4e5f60718293a4b5c6d7e8f90"],
    "mailgun_key": ["key-3ax6xnjp29jd6fds4gc373sgvjxteol0"],
    "telegram_bot_token": ["110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw", "bot987654321:AAF1x2y3z4AbCdEfGhIjKlMnOpQrStUvWxY"],
    "discord_bot_token": ["MTA4NjA5NzQ1MjM0NTY3ODkw.GxYzAb.abcdefghijklmnopqrstuvwxyz0123456789AB"],
    "mailchimp_key": ["0123456789abcdef0123456789abcdef-us12"],
    "more_vendor_keys": ["glptt-0123456789abcdef0123", "xapp-1-A0123456789-1234567890123-abcdef0123456789",
                         "ATATT3xFfGF0abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ", "NRAK-ABCDEFGHIJKLMNOPQRSTUVWXYZ1",
                         "dp.st.dev.abcdefghijklmnopqrstuvwxyz0123456789ABCD", "lin_api_abcdefghijklmnopqrstuvwxyz0123456789ABCD",
                         "gsk_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMN", "r8_abcdefghijklmnopqrstuvwxyz0123456789",
                         "hvs.CAESIabcdefghijklmnopqrstuvwxyz0123456789", "pat-na1-12345678-1234-1234-1234-123456789012"],
    "webhook_url": ["https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
                    "https://discord.com/api/webhooks/123456789012345678/abcdefghijklmnopqrstuvwxyz012345",
                    "https://contoso.webhook.office.com/webhookb2/7b2e1c9a-aaaa/IncomingWebhook/0f1e2d3c4b5a/9a8b7c6d"],
    "secret_query_parameter": ["https://api.example.com/v1?sig=5d41402abc4b2a76b9719d911017c592", "https://x.example.com/cb?code=4/0AX4XfWh9"],
}
PERSONAL = {
    "email": ["jane.roe@example.com", "maria.k+news@example.org", "josé.garcía@correo.es", "o'brien@example.co.uk"],
    "credit_card_visa": ["4111111111111111", "4111 1111 1111 1111", "4012888888881881"],
    "credit_card_mastercard": ["5105105105105100", "5555-5555-5555-4444", "2223003122003222"],
    "credit_card_amex": ["378282246310005", "3714 496353 98431"],
    "credit_card_discover": ["6011111111111117", "6011000990139424"],
    "ipv4": ["192.168.1.20", "10.0.0.1", "203.0.113.7"],
    "ipv6": ["2001:db8::1", "fe80::1ff:fe23:4567:890a", "2001:0db8:85a3:0000:0000:8a2e:0370:7334"],
    "phone_international": ["+1 (555) 123-4567", "+44 20 7946 0958", "+5511987654321", "0044 20 7946 0958"],
    "phone_national": ["(555) 123-4567", "555-123-4567", "020 7946 0958"],
    "us_ssn": ["123-45-6789", "078-05-1120", "219-09-9999"],
    "iban": ["DE89370400440532013000", "GB82 WEST 1234 5698 7654 32", "FR1420041010050500013M02606"],
    "mac_address": ["00:1A:2B:3C:4D:5E", "a4-83-e7-12-34-56"],
    "gps_coordinates": ["48.858370, 2.294481", "-33.8688,151.2093", "40.748817, -73.985428"],
    "home_directory_unix": ["/home/maria/project/app.db", "/Users/jsmith/Library/Logs/app.log"],
    "labelled_national_id": ["ssn 123456789", "NINO QQ123456C", "CPF 123.456.789-09", "passport no. X1234567",
                             "aadhaar 234567890123", "SIN 046454286"],
    "labelled_birth_date": ["DOB 1985-03-14", "born on 03/14/1985", "date of birth: 14.03.1985"],
    "labelled_security_code": ["CVV 123", "cvc: 4321"],
    "ipv4_after_word": ["server 192.168.1.1 down", "observer 10.20.30.40 joined"],
    "phone_north_american_trunk": ["1-800-555-0199", "1 (555) 123-4567", "1.555.123.4567"],
    "us_ssn_spaced": ["123 45 6789", "078 05 1120"],
    "labelled_grouped_number": ["ssn: 123 45 6789", "pin: 12 34", "cvv: 123 4"],
    "street_address": ["1600 Pennsylvania Avenue NW", "221B Baker Street", "350 Fifth Avenue", "42 W 5th St.",
                       "10 Downing Street", "Hauptstraße 5", "Lindenstr. 12a", "7 Rue Close"],
    "aws_secret_bare": ["wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY"],
    "phone_uri": ["tel:+14155552671", "sms:+447911123456"],
    "home_directory_tilde": ["~maria/.bashrc", "~jsmith/projects/app"],
    "email_obfuscated": ["jane(at)example.com", "jane [at] example [dot] com", "maria.k at correo dot es"],
    "credit_card_dotted": ["4111.1111.1111.1111", "5555.5555.5555.4444"],
    "password_other_language": ["Passwort: geheim123", "contraseña: secreta123", "senha=segredo123", "mot de passe: secret123"],
    "labelled_financial_id": ["routing 021000021", "account number 123456789", "sort code 12-34-56", "acct #98765432"],
    "labelled_health_vehicle_id": ["NHS 943 476 5919", "medicare 2123 45670 1", "driver's license D1234567", "license plate ABC-1234"],
    "keyed_person_in_text": ["first_name=Jane Roe", "Name: John Smith", "surname: Roe", "customer_name=Maria Garcia"],
    "keyed_address_in_text": ["address: 1 Main St", "billing_address=742 Evergreen Terrace", "zip=94105"],
    "keyed_position_in_text": ["lat=48.85837", "longitude: -73.985428"],
    "keyed_user_id_in_text": ["user_id=8812345", "customer_id: c-98123"],
    "titled_name": ["Mr. Smith", "Mrs Jane Roe", "Dr. Ana Lima"],
    "labelled_record_id": ["MRN 12345678", "policy number P-12345678", "member id ABC123456", "employee id E-99812"],
    "keyed_grouped_secret": ["IBAN: DE89 3704 0044 0532 0130 00", "session=8f14e45fceea167a5a36dedd4bea2543"],
    "home_directory_windows": [r"C:\Users\maria\AppData\Local\app.db", r"C:\Users\John Smith\Desktop\report.pdf"],
}
NUMERIC = {  # types that also arrive as numbers, with the key they arrive under
    "credit_card_visa": ("card_ref", [4111111111111111, 4012888888881881]),
    "credit_card_mastercard": ("value", [5105105105105100]),
    "credit_card_amex": ("amount_id", [378282246310005, 371449635398431]),
    "credit_card_discover": ("n", [6011111111111117]),
    "phone_national": ("phone", [5551234567, 2025550143]),
    "phone_international": ("mobile", [447911123456]),
}


KEYED = {  # types recognised by the attribute's key: the value must not leave in any form
    "location_key": [("lat", "48.85837"), ("user_longitude", "2.29448"), ("geo.lng", "-73.985428"), ("gps", "40.7,-74.0")],
    "advertising_id_key": [("idfa", "3F2504E0-4F89-11D3-9A0C-0305E82C3301"), ("advertising_id", "38400000-8cf0-11bd-b23e-10b96e40000d"),
                           ("android_id", "9774d56d682e549c"), ("imei", "490154203237518")],
    "postal_code_key": [("zip_code", "94105"), ("postal_code", "SW1A 1AA"), ("postcode", "75007")],
    "person_name_key": [("first_name", "Jane"), ("customer_name", "Jane Roe"), ("surname", "Roe")],
}


def placements(core):
    """The same value as telemetry carries it: alone, in prose, JSON-escaped, percent-encoded, in a log line."""
    yield "plain", "note", core
    yield "prose", "detail", f"request failed for {core} after 3 retries"
    yield "escaped", "detail", "payload " + json.dumps({"field": core})[1:-1]
    yield "python_repr", "context", repr({"field": core, "attempt": 2})
    if "\\" in core:
        yield "swift_describing", "error", f'failed(detail: "{core.replace(chr(92), chr(92) * 2)}")'
    if any(c in core for c in "@:/ +"):
        yield "percent_encoded", "url", "https://app.example.com/cb?x=1&v=" + urllib.parse.quote(core, safe="")
    yield "log_line", "message_text", f"2024-05-01T10:00:00Z WARN user action ctx={core} status=500"


def positives():
    for table in (SECRETS, PERSONAL):
        for kind, examples in table.items():
            for core in examples:
                for placement, key, value in placements(core):
                    yield kind, placement, key, value, core
    for kind, (key, numbers) in NUMERIC.items():
        for number in numbers:
            yield kind, "number", key, number, str(number)
    for kind, pairs in KEYED.items():
        for key, value in pairs:
            yield kind, "keyed", key, value, value


def benign():
    versions = ["1.2.3", "v2.10.3", "10.0.1-beta", "2024.5.1", "6.3.1", "1.0.0-rc.1", "3.11.4", "0.9.12"]
    agents = [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15",
        "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91",
        "curl/8.4.0", "python-requests/2.31.0", "okhttp/4.12.0", "automagik-telemetry-swift/0.1.0",
    ]
    routes = ["/api/v1/users/{id}", "/v1/traces", "/health", "/orders/:orderId/items", "/static/app.9f2c1.js",
              "/api/v2/search?q=shoes&page=2", "/graphql", "/auth/callback"]
    models = ["gpt-4o-mini", "claude-3-5-sonnet-20241022", "llama-3.1-70b-instruct", "text-embedding-3-large", "gemini-1.5-pro"]
    locales = ["en-US", "pt-BR", "de-DE", "zh-Hans-CN", "fr_CA", "ja"]
    files = ["report-2024-05.csv", "app.log", "IMG_2041.HEIC", "config.yaml", "index.html", "data_export_v2.json"]
    statuses = ["status: ok", "level: info", "HTTP 404", "took 1500 ms", "retry 3/5", "queue depth 1024", "12:30:45",
                "ratio 3:2", "std::vector<int>", "Module::Type", "a::b::c", "cache hit", "ok", "export_csv"]
    timestamps = ["2024-01-15T10:30:00.123Z", "2024-01-15 10:30:00", "1712345678901", "Mon, 01 Jan 2024 00:00:00 GMT"]
    keys_kept = ["signature_algorithm", "auth_provider", "cookie_consent", "password_reset_requested", "jwt_expired",
                 "credentials_provider", "token_type", "total_tokens", "prompt_tokens", "token_count", "password_length"]
    for value in versions:
        yield "version", "app.version", value
        yield "version", "note", f"upgraded to {value}"
    for value in agents:
        yield "user_agent", "user_agent", value
        yield "user_agent", "note", value
    for value in routes:
        yield "route", "http.route", value
    for value in models:
        yield "model", "gen_ai.request.model", value
    for value in locales:
        yield "locale", "locale", value
    for value in files:
        yield "file_name", "file", value
    for value in statuses:
        yield "status_text", "note", value
    for value in timestamps:
        yield "timestamp", "note", value
    for key in keys_kept:
        yield "qualified_key", key, "RS256"
    for index in range(120):
        yield "uuid", "request.id", "%08x-%04x-4%03x-a%03x-%012x" % (index * 2654435761 % 2**32, index, index, index, index * 7919)
        yield "hash", "commit", ("%040x" % (index * 0x9E3779B97F4A7C15 % 2**160))
        yield "duration", "duration_ms", index * 37 + 1
        yield "count", "token_count", index * 13
    for index in range(60):
        yield "id_number", "order.id", 1_000_000 + index * 7919
        yield "hex_id", "span.id", "%016x" % (index * 0x9E3779B97F4A7C15 % 2**64)
        yield "amount", "note", f"total {index * 3}.{index % 100:02d} EUR"
        yield "coarse_location", "note", f"{40 + index % 10}.5, {-3 - index % 5}.25"
    # Words that end in a version word but are not one, numbers in groups that are not a person's, and
    # keys that mention a place or a code without holding a position or a postcode.
    for value in ["app version 1.2.3.4", "release 2.0.1.7", "upgraded to 6.3.1 (build 2024.5.1)", "queue 12 34 56",
                  "retry 1-2-3", "page 1 of 3", "call id 1-800", "Chapter 3 The Road", "Step 2 Drive Home",
                  "3 best ways to grow", "Top 10 Places", "HTTP 404 Not Found", "Version 2 Street Fighter", "No. 5 Main Course",
                  "commit 9fceb02d0ae598e95dc970b74767f19372d61af8", "ThisIsAVeryLongIdentifierNameForTesting1",
                  "/usr/local/lib/python3.11/site-packages/x", "dGhpcyBpcyBhIHRlc3Qgb2YgYmFzZTY0IGVuYw==",
                  "cd ~/projects", "PROGRA~1/app", "at 12:30:45", "listening on :8080", "Lesson 4 Road Safety",
                  "Module.Submodule.function", "secret_sauce_enabled", "release-us1", "1234567:ABC", "MyApp.Main.Window",
                  "meet at the gate dot 5", "arrive at noon", "account 20240115 report", "license Apache-2.0", "vat 20 %",
                  "routing table 10", "version 4.1.11.1111", "passe-partout", "name: Settings Page", "name=export_csv",
                  "login: ok", "user: unknown", "gps: on", "customer: returning", "service.name=checkout",
                  "session: new", "Drive Home", "Product Manager", "policy enabled", "claim 2 rewards", "Mrs."]:
        yield "near_miss", "note", value
    for key, value in [("latency", "120"), ("gps_enabled", "true"), ("location_count", 3), ("zip_size", 2048),
                       ("lon_offset_count", 2), ("geo_country", "FR"), ("region", "eu-west-1")]:
        yield "near_miss_key", key, value


if __name__ == "__main__":
    print(sum(1 for _ in positives()), "positives in", len(SECRETS) + len(PERSONAL), "types;", sum(1 for _ in benign()), "benign")
