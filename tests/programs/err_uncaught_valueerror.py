# Uncaught ValueError raised three calls deep; stdout before it must still appear.
def parse_record(line):
    name, qty = line.split(":")
    return name, parse_qty(qty)
def parse_qty(text):
    value = int(text)
    if value < 0:
        raise ValueError("quantity must be non-negative, got %d" % value)
    return value
def load(lines):
    out = []
    for line in lines:
        rec = parse_record(line)
        print("loaded", rec)
        out.append(rec)
    return out
load(["apple:3", "pear:10", "plum:-4", "never:1"])
print("not reached")
