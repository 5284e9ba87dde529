#!/usr/bin/env python3
"""`make privacy-eval`: the corpus through the SDK's privacy engine and through two established
detectors, Yelp's detect-secrets (every plugin) and Microsoft's presidio-analyzer (its pattern
recognizers, no NLP model), with recall per type and false positives on benign values side by side.

Usage: run.py CLI [--json REPORT]

How each is scored. The SDK *rewrites* values, so a positive counts as caught only if no sensitive
part of it (the value of a `key=value`, the token after `Bearer`, a user name in a path, an e-mail's
local part, …) survives in the output in any form (raw, JSON-escaped, percent-encoded, backslash-
doubled); a benign value is a false positive if it comes out changed. The other two only *report*, so
a positive counts as caught if they report anything in the line, and a benign value is a false
positive if they do — the more generous reading for them.
"""
import json
import re
import subprocess
import sys
import urllib.parse

from corpus import benign, positives

CLI = sys.argv[1]
REPORT = sys.argv[sys.argv.index("--json") + 1] if "--json" in sys.argv else None


def secret_parts(kind, core):
    """The parts of `core` that must not survive (each at least 3 characters)."""
    text = str(core)
    if kind in ("password_assignment", "api_key_assignment", "aws_secret_assignment"):
        return [re.split(r"\s*[=:]\s*", text, maxsplit=1)[1].strip("'\" ")]
    if kind in ("bearer_token", "basic_auth"):
        return [text.split(" ", 1)[1]]
    if kind == "cookie_header":
        return [pair.split("=", 1)[1] for pair in text.split(":", 1)[1].split(";") if "=" in pair and pair.strip().split("=")[0] not in ("Path",)]
    if kind == "connection_string":
        return [pair.split("=", 1)[1] for pair in text.split(";") if pair.split("=", 1)[0] in ("AccountKey", "SharedAccessKey")]
    if kind == "url_credentials":
        return [text.split("://", 1)[1].split("@", 1)[0].split(":", 1)[-1]]
    if kind == "private_key":
        return [text.split("\n")[1]]
    if kind == "secret_query_parameter":
        return [text.split("=", 1)[1]]
    if kind == "home_directory_tilde":
        return [text[1:].split("/")[0]]
    if kind.startswith("home_directory"):
        match = re.search(r"(?:home|Users)[\\/]+([^\\/]+)", text)
        return match.group(1).split(" ") if match else [text]
    if kind.startswith("labelled_financial") or kind.startswith("labelled_health"):
        return [text.split()[-1]] if not text.startswith(("NHS", "medicare")) else text.split()[1:]
    if kind == "labelled_grouped_number":
        return text.split(":", 1)[1].split()
    if kind.startswith("labelled_"):
        return [text.split()[-1]]
    if kind.startswith("keyed_") and kind.endswith("_in_text"):
        return re.split(r"\s*[=:]\s*", text, maxsplit=1)[1].split()
    if kind == "titled_name":
        return text.split()[1:]
    if kind == "labelled_record_id":
        return [text.split()[-1]]
    if kind == "keyed_grouped_secret":
        return re.split(r"\s*[=:]\s*", text, maxsplit=1)[1].split()
    if kind == "email_obfuscated":
        return [re.split(r"\s*(?:\(at\)|\[at\]| at )\s*", text, maxsplit=1)[0]]
    if kind == "password_other_language":
        return [re.split(r"\s*[=:]\s*", text, maxsplit=1)[1]]
    if kind == "telegram_bot_token":
        return [text.split(":", 1)[1]]
    if kind == "street_address":
        return [text]
    if kind == "phone_uri":
        return [text.split(":", 1)[1]]
    if kind == "ipv4_after_word":
        return [text.split()[1]]
    if kind == "webhook_url":
        return [re.split(r"/services/|/webhooks/|/webhookb2/", text, maxsplit=1)[1]]
    if kind == "email":
        return [text.split("@", 1)[0]]
    return [text]


def forms(part):
    """Every way `part` may be written in the placements."""
    return {part, json.dumps(part)[1:-1], urllib.parse.quote(part, safe=""), part.replace("\\", "\\\\"),
            re.sub(r"[ \-]", "", part) if re.fullmatch(r"[\d \-]+", part) else part}


def sdk(items):
    lines = "\n".join(json.dumps({"key": key, "value": value}) for key, value in items) + "\n"
    done = subprocess.run([CLI, "privacy"], input=lines, capture_output=True, text=True, check=True)
    return [json.loads(line)["value"] for line in done.stdout.splitlines()]


def detect_secrets_flags():
    from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class
    from detect_secrets.core.scan import scan_line
    from detect_secrets.settings import transient_settings

    plugins = [{"name": cls.__name__} for cls in get_mapping_from_secret_type_to_class().values()]

    def flags(text):
        with transient_settings({"plugins_used": plugins}):
            return any(True for _ in scan_line(str(text)))
    return flags


def presidio_flags():
    from presidio_analyzer import PatternRecognizer, RecognizerRegistry

    registry = RecognizerRegistry()
    registry.load_predefined_recognizers(languages=["en"])
    recognizers = [r for r in registry.recognizers if isinstance(r, PatternRecognizer)]

    def flags(text):
        text = str(text)
        return any(r.analyze(text, r.supported_entities, None) for r in recognizers)
    return flags


def main():
    positive = list(positives())
    negative = list(benign())
    sdk_positive = sdk([(key, value) for _, _, key, value, _ in positive])
    sdk_negative = sdk([(key, value) for _, key, value in negative])
    detectors = {"detect-secrets": detect_secrets_flags(), "presidio": presidio_flags()}

    per_type = {}
    leaks = []
    for (kind, placement, key, value, core), out in zip(positive, sdk_positive):
        row = per_type.setdefault(kind, {"n": 0, "sdk": 0, "detect-secrets": 0, "presidio": 0})
        row["n"] += 1
        survived = out is not None and any(f in str(out) for part in secret_parts(kind, core) if len(part) >= 3 for f in forms(part))
        if not survived:
            row["sdk"] += 1
        else:
            leaks.append((kind, placement, value, out))
        for name, flags in detectors.items():
            row[name] += 1 if flags(value) else 0

    false_positives = {"sdk": [], "detect-secrets": [], "presidio": []}
    for (kind, key, value), out in zip(negative, sdk_negative):
        if out is None or str(out) != str(value):
            false_positives["sdk"].append((kind, key, value, out))
        for name, flags in detectors.items():
            if flags(value):
                false_positives[name].append((kind, key, value, None))

    names = ["sdk", "detect-secrets", "presidio"]
    print(f"{'type':28} {'n':>4} " + " ".join(f"{n:>15}" for n in names))
    totals = {n: 0 for n in names}
    total = 0
    for kind, row in per_type.items():
        total += row["n"]
        for n in names:
            totals[n] += row[n]
        print(f"{kind:28} {row['n']:>4} " + " ".join(f"{100 * row[n] / row['n']:>14.1f}%" for n in names))
    print(f"{'recall, all types':28} {total:>4} " + " ".join(f"{100 * totals[n] / total:>14.1f}%" for n in names))
    print(f"{'false positives (benign)':28} {len(negative):>4} "
          + " ".join(f"{100 * len(false_positives[n]) / len(negative):>14.1f}%" for n in names))
    if leaks:
        print("\nSDK leaks (first 20):")
        for kind, placement, value, out in leaks[:20]:
            print(f"  {kind} / {placement}: {str(value)[:90]!r} -> {str(out)[:90]!r}")
    if false_positives["sdk"]:
        print("\nSDK false positives (first 20):")
        for kind, key, value, out in false_positives["sdk"][:20]:
            print(f"  {kind} [{key}]: {str(value)[:90]!r} -> {str(out)[:90]!r}")
    if REPORT:
        with open(REPORT, "w") as out:
            json.dump({"types": per_type, "benign": len(negative),
                       "false_positives": {n: len(v) for n, v in false_positives.items()}}, out, indent=1)


if __name__ == "__main__":
    main()
