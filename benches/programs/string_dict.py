# string_dict.py -- string building, splitting, joining and dict counting.
#
# Usage: string_dict.py [LINES]
# Generates LINES lines of pseudo-random "words" with a fixed LCG, joins them
# into one text, splits it back, counts words and bigrams in dicts, formats
# and sorts the counts, and does some str method work (upper, replace, find,
# startswith, strip).  Output: counts, the top words and a checksum.
import sys

SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "pa",
             "qua", "ish", "orn", "el", "bu", "dre"]


class Lcg:
    def __init__(self, seed):
        self.state = seed

    def next(self, bound):
        self.state = (self.state * 1103515245 + 12345) % 2147483648
        return (self.state >> 8) % bound


def make_word(rng):
    parts = []
    n = 1 + rng.next(3)
    for _ in range(n):
        parts.append(SYLLABLES[rng.next(len(SYLLABLES))])
    return "".join(parts)


def make_text(lines, rng):
    vocab = []
    for _ in range(2000):
        vocab.append(make_word(rng))
    out = []
    for i in range(lines):
        words = []
        n = 4 + rng.next(9)
        for _ in range(n):
            # skewed choice: small indices are much more common
            a = rng.next(len(vocab))
            b = rng.next(len(vocab))
            if b < a:
                a = b
            words.append(vocab[a])
        if i % 7 == 0:
            words[0] = words[0].upper()
        out.append(" ".join(words) + ("." if i % 3 == 0 else ","))
    return "\n".join(out)


def str_checksum(s, acc):
    # order-dependent checksum over characters, kept below 2**31
    for ch in s:
        acc = (acc * 131 + ord(ch)) % 2147483647
    return acc


def by_count_then_key(kv):
    return (-kv[1], kv[0])


def main():
    lines = 120000
    if len(sys.argv) > 1:
        lines = int(sys.argv[1])
    rng = Lcg(42)
    text = make_text(lines, rng)

    counts = {}
    bigrams = {}
    first_letters = {}
    upper_lines = 0
    total_words = 0
    for line in text.split("\n"):
        line = line.strip()
        if line.endswith(".") or line.endswith(","):
            line = line[:-1]
        if line[:1].isupper():
            upper_lines += 1
        words = line.lower().split(" ")
        total_words += len(words)
        prev = ""
        for w in words:
            counts[w] = counts.get(w, 0) + 1
            if prev:
                key = prev + "+" + w
                if key in bigrams:
                    bigrams[key] += 1
                else:
                    bigrams[key] = 1
            prev = w
            c = w[0]
            first_letters[c] = first_letters.get(c, 0) + 1

    items = list(counts.items())
    items.sort(key=by_count_then_key)
    top = []
    for word, n in items[:10]:
        top.append(f"{word}={n}")

    big = sorted(bigrams.items(), key=by_count_then_key)
    report = []
    for key, n in big[:200]:
        left, right = key.split("+")
        report.append(f"{left:>12} {right:<12} {n:6d}")
    report_text = "\n".join(report)

    letters = sorted(first_letters.keys())
    letter_line = ",".join([f"{c}:{first_letters[c]}" for c in letters])

    # more str methods: replace, find, count, startswith
    rewritten = text.replace("ka", "KA").replace("qua", "q")
    ka_count = rewritten.count("KA")
    pos = rewritten.find("dredre")
    starts = 0
    for w, _ in items:
        if w.startswith("ka") or w.startswith("ze"):
            starts += 1

    distinct_words = set()
    for w, _ in items:
        distinct_words.add(w)
    acc = str_checksum(report_text, 7)
    acc = str_checksum(letter_line, acc)
    acc = str_checksum(" ".join(sorted(distinct_words)[:500]), acc)

    print(f"lines {lines} words {total_words} distinct {len(counts)} bigrams {len(bigrams)}")
    print(f"upper lines {upper_lines} ka {ka_count} dredre at {pos} ka/ze words {starts}")
    print("top: " + " ".join(top))
    print("letters: " + letter_line)
    print(f"checksum {acc}")


main()
