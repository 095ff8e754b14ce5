"""Regular expressions: compile, match, search, fullmatch, sub, subn, split,
findall, finditer, escape, and the Pattern and Match objects.

Written for Thicket's Python-subset interpreter: a small backtracking engine
in plain Python with Python's own matching rules (leftmost match, greedy and
lazy quantifiers tried in Python's order, alternatives left to right).
Supported syntax: literals and escapes, ``.``, character classes with ranges
and negation, ``\\d \\D \\s \\S \\w \\W \\b \\B \\A \\Z``, ``^ $``, groups
(capturing, ``(?:...)``, ``(?P<name>...)``, ``(?P=name)``), lookahead
``(?=...)`` / ``(?!...)``, backreferences ``\\1``, alternation, the
quantifiers ``* + ? {m} {m,} {,n} {m,n}`` and their lazy forms, and the flags
IGNORECASE, MULTILINE, DOTALL, VERBOSE (inline ``(?imsx)`` too).  Anything
else (lookbehind, conditionals, possessive quantifiers...) raises re.error
rather than matching wrongly.  Matching is on str or bytes.
"""

__all__ = ['compile', 'match', 'search', 'fullmatch', 'sub', 'subn', 'split',
           'findall', 'finditer', 'escape', 'purge', 'error', 'Pattern',
           'Match', 'I', 'IGNORECASE', 'M', 'MULTILINE', 'S', 'DOTALL',
           'X', 'VERBOSE', 'A', 'ASCII', 'U', 'UNICODE']

I = IGNORECASE = 2
M = MULTILINE = 8
S = DOTALL = 16
U = UNICODE = 32
X = VERBOSE = 64
A = ASCII = 256

_FLAG_LETTERS = {'i': IGNORECASE, 'm': MULTILINE, 's': DOTALL,
                 'x': VERBOSE, 'a': ASCII, 'u': UNICODE}


class error(Exception):
    """Exception raised for invalid regular expressions."""

    def __init__(self, msg, pattern=None, pos=None):
        self.msg = msg
        if pattern is not None and pos is not None:
            msg = f"{msg} at position {pos}"
        Exception.__init__(self, msg)
        self.pattern = pattern
        self.pos = pos


# ---------------------------------------------------------------- parsing
# A pattern becomes a tree of tuples:
#   ('lit', ch) ('any',) ('set', negated, items) ('bol',) ('eol',)
#   ('start',) ('end',) ('wordb',) ('nwordb',) ('backref', n)
#   ('group', n or None, alts) ('look', negated, alts)
#   ('rep', node, min, max or None, greedy)
# where alts is a list of sequences (lists of nodes).

_SPECIAL = '.^$*+?{}[]\\|()'


class _Parser:
    def __init__(self, pattern, flags):
        self.p = pattern
        self.i = 0
        self.flags = flags
        self.ngroups = 0
        self.names = {}

    def fail(self, msg, pos=None):
        raise error(msg, self.p, self.i if pos is None else pos)

    def peek(self):
        return self.p[self.i] if self.i < len(self.p) else None

    def parse(self):
        alts = self.alternation()
        if self.i < len(self.p):
            if self.p[self.i] == ')':
                self.fail('unbalanced parenthesis')
            self.fail('unexpected character')
        return alts

    def alternation(self):
        alts = [self.sequence()]
        while self.peek() == '|':
            self.i += 1
            alts.append(self.sequence())
        return alts

    def skip_verbose(self):
        while self.i < len(self.p):
            c = self.p[self.i]
            if c in ' \t\n\r\f\v':
                self.i += 1
            elif c == '#':
                while self.i < len(self.p) and self.p[self.i] != '\n':
                    self.i += 1
            else:
                break

    def sequence(self):
        seq = []
        while True:
            if self.flags & VERBOSE:
                self.skip_verbose()
            c = self.peek()
            if c is None or c in '|)':
                return seq
            start = self.i
            atom = self.atom()
            if atom is None:
                continue
            if self.flags & VERBOSE:
                self.skip_verbose()
            atom = self.quantifier(atom, start)
            seq.append(atom)

    def quantifier(self, atom, start):
        c = self.peek()
        if c is None:
            return atom
        if c in '*+?':
            self.i += 1
            lo, hi = {'*': (0, None), '+': (1, None), '?': (0, 1)}[c]
        elif c == '{':
            save = self.i
            bounds = self.braces()
            if bounds is None:
                self.i = save
                return atom
            lo, hi = bounds
        else:
            return atom
        if atom[0] in ('bol', 'eol', 'start', 'end', 'wordb', 'nwordb', 'look'):
            self.fail('nothing to repeat', start)
        if atom[0] == 'rep':
            self.fail('multiple repeat', self.i - 1)
        greedy = True
        if self.peek() == '?':
            self.i += 1
            greedy = False
        elif self.peek() == '+':
            self.fail('possessive quantifiers are not supported')
        c = self.peek()
        if c is not None and c in '*+?':
            self.fail('multiple repeat', self.i)
        if c == '{':
            save = self.i
            if self.braces() is not None:
                self.fail('multiple repeat', save)
            self.i = save
        return ('rep', atom, lo, hi, greedy)

    def braces(self):
        # At '{': {m}, {m,}, {,n}, {m,n}; anything else is a literal '{'.
        j = self.i + 1
        end = self.p.find('}', j)
        if end < 0:
            return None
        body = self.p[j:end]
        if ',' in body:
            a, b = body.split(',', 1)
        else:
            a, b = body, body
        if not (a.isdigit() or a == '') or not (b.isdigit() or b == ''):
            return None
        if a == '' and b == '' and ',' not in body:
            return None
        if body == ',':
            return None
        lo = int(a) if a else 0
        hi = int(b) if b else None
        if hi is not None and hi < lo:
            self.fail('min repeat greater than max repeat', j)
        self.i = end + 1
        return lo, hi

    def atom(self):
        c = self.p[self.i]
        if c == '(':
            return self.group()
        if c == '[':
            return self.char_class()
        if c == '\\':
            return self.escape(False)
        self.i += 1
        if c == '.':
            return ('any',)
        if c == '^':
            return ('bol',)
        if c == '$':
            return ('eol',)
        if c in '*+?':
            self.fail('nothing to repeat', self.i - 1)
        if c == '{' :
            save = self.i - 1
            self.i = save
            if self.braces() is not None:
                self.fail('nothing to repeat', save)
            self.i = save + 1
        return ('lit', c)

    def group(self):
        start = self.i
        self.i += 1
        if self.p.startswith('?', self.i):
            self.i += 1
            c = self.peek()
            if c == ':':
                self.i += 1
                alts = self.alternation()
                self.close(start)
                return ('group', None, alts)
            if c == 'P':
                self.i += 1
                if self.peek() == '<':
                    end = self.p.find('>', self.i)
                    if end < 0:
                        self.fail('missing >, unterminated name')
                    name = self.p[self.i + 1:end]
                    if not name.isidentifier():
                        self.fail(f"bad character in group name '{name}'",
                                  self.i + 1)
                    if name in self.names:
                        self.fail(f"redefinition of group name '{name}' "
                                  f"as group {self.ngroups + 1}; was group "
                                  f"{self.names[name]}", self.i + 1)
                    self.i = end + 1
                    self.ngroups += 1
                    n = self.ngroups
                    self.names[name] = n
                    alts = self.alternation()
                    self.close(start)
                    return ('group', n, alts)
                if self.peek() == '=':
                    end = self.p.find(')', self.i)
                    if end < 0:
                        self.fail('missing ), unterminated name')
                    name = self.p[self.i + 1:end]
                    if name not in self.names:
                        self.fail(f"unknown group name '{name}'", self.i + 1)
                    self.i = end + 1
                    return ('backref', self.names[name])
                self.fail('unknown extension ?P' + (self.peek() or ''))
            if c == '=' or c == '!':
                self.i += 1
                alts = self.alternation()
                self.close(start)
                return ('look', c == '!', alts)
            if c == '#':
                end = self.p.find(')', self.i)
                if end < 0:
                    self.fail('missing ), unterminated comment')
                self.i = end + 1
                return None
            if c is not None and c in _FLAG_LETTERS:
                flags = 0
                while self.peek() is not None and self.peek() in _FLAG_LETTERS:
                    flags |= _FLAG_LETTERS[self.peek()]
                    self.i += 1
                if self.peek() == ')':
                    if start != 0:
                        self.fail('global flags not at the start of the '
                                  'expression', start)
                    self.i += 1
                    self.flags |= flags
                    return None
                self.fail('scoped inline flags are not supported')
            self.fail('unknown extension ?' + (c or ''), start + 1)
        self.ngroups += 1
        n = self.ngroups
        alts = self.alternation()
        self.close(start)
        return ('group', n, alts)

    def close(self, start):
        if self.peek() != ')':
            self.fail('missing ), unterminated subpattern', start)
        self.i += 1

    def escape(self, in_class):
        # At a backslash: returns a node (outside classes) or a class item.
        self.i += 1
        c = self.peek()
        if c is None:
            self.fail('bad escape (end of pattern)', self.i - 1)
        self.i += 1
        if c in 'dDsSwW':
            return ('cls', c) if in_class else ('set', False, [('cls', c)])
        simple = {'n': '\n', 't': '\t', 'r': '\r', 'f': '\f', 'v': '\v',
                  'a': '\a', '\\': '\\'}
        if c in simple:
            ch = simple[c]
        elif c == 'x':
            ch = self.hex_escape(2)
        elif c == 'u' and isinstance(self.p, str):
            ch = self.hex_escape(4)
        elif c == 'U' and isinstance(self.p, str):
            ch = self.hex_escape(8)
        elif c == '0':
            digits = '0'
            while len(digits) < 3 and self.peek() is not None and self.peek() in '01234567':
                digits += self.peek()
                self.i += 1
            ch = chr(int(digits, 8))
        elif c.isdigit():
            if in_class:
                self.fail('bad escape \\' + c, self.i - 2)
            digits = c
            while self.peek() is not None and self.peek().isdigit() and len(digits) < 2:
                digits += self.peek()
                self.i += 1
            n = int(digits)
            if n > self.ngroups:
                self.fail('invalid group reference %d' % n, self.i - len(digits))
            return ('backref', n)
        elif not in_class and c in 'AZbB':
            return {'A': ('start',), 'Z': ('end',), 'b': ('wordb',),
                    'B': ('nwordb',)}[c]
        elif in_class and c == 'b':
            ch = '\b'
        elif c.isalnum():
            self.fail('bad escape \\' + c, self.i - 2)
        else:
            ch = c
        return ('ch', ch) if in_class else ('lit', ch)

    def hex_escape(self, n):
        digits = self.p[self.i:self.i + n]
        if len(digits) != n or any(d not in '0123456789abcdefABCDEF' for d in digits):
            self.fail('incomplete escape \\' + self.p[self.i - 1:self.i + len(digits)],
                      self.i - 2)
        self.i += n
        return chr(int(digits, 16))

    def char_class(self):
        start = self.i
        self.i += 1
        negated = False
        if self.peek() == '^':
            negated = True
            self.i += 1
        items = []
        first = True
        while True:
            c = self.peek()
            if c is None:
                self.fail('unterminated character set', start)
            if c == ']' and not first:
                self.i += 1
                break
            first = False
            if c == '\\':
                item = self.escape(True)
            else:
                self.i += 1
                item = ('ch', c)
            if item[0] == 'ch' and self.peek() == '-' and \
                    self.i + 1 < len(self.p) and self.p[self.i + 1] != ']':
                self.i += 1
                if self.peek() == '\\':
                    hi = self.escape(True)
                else:
                    hi = ('ch', self.p[self.i])
                    self.i += 1
                if hi[0] != 'ch':
                    self.fail('bad character range', start)
                if ord(hi[1]) < ord(item[1]):
                    self.fail(f'bad character range {item[1]}-{hi[1]}', start)
                items.append(('range', item[1], hi[1]))
            else:
                items.append(item)
        return ('set', negated, items)


# ---------------------------------------------------------------- matching

def _is_word(ch):
    return ch.isalnum() or ch == '_'


def _class_has(cls, ch, ascii_only):
    if cls in 'dD':
        r = ch.isdigit() and (not ascii_only or ch in '0123456789')
    elif cls in 'sS':
        r = ch in ' \t\n\r\f\v' or (not ascii_only and ch.isspace())
    else:
        r = _is_word(ch) and (not ascii_only or ord(ch) < 128)
    return r if cls in 'dsw' else not r


class _Matcher:
    def __init__(self, pattern, string, ngroups):
        self.flags = pattern.flags
        self.icase = bool(self.flags & IGNORECASE)
        self.ascii = bool(self.flags & ASCII) or isinstance(string, bytes)
        self.bytes = isinstance(string, bytes)
        self.s = string.decode('latin-1') if self.bytes else string
        self.caps = [None] * (ngroups + 1)

    def char_ok(self, node, ch):
        kind = node[0]
        if kind == 'lit':
            if self.icase:
                return ch.lower() == node[1].lower()
            return ch == node[1]
        if kind == 'any':
            return ch != '\n' or bool(self.flags & DOTALL)
        # a set
        found = False
        for item in node[2]:
            t = item[0]
            if t == 'ch':
                found = ch == item[1] or (self.icase and ch.lower() == item[1].lower())
            elif t == 'range':
                found = item[1] <= ch <= item[2]
                if not found and self.icase:
                    lo, up = ch.lower(), ch.upper()
                    found = item[1] <= lo <= item[2] or item[1] <= up <= item[2]
            else:
                found = _class_has(item[1], ch, self.ascii)
            if found:
                break
        return found != node[1]

    def alts(self, alts, pos, end, k):
        for seq in alts:
            r = self.seq(seq, 0, pos, end, k)
            if r is not None:
                return r
        return None

    def seq(self, seq, i, pos, end, k):
        s = self.s
        while i < len(seq):
            node = seq[i]
            kind = node[0]
            if kind == 'lit' or kind == 'any' or kind == 'set':
                if pos >= end or not self.char_ok(node, s[pos]):
                    return None
                pos += 1
                i += 1
                continue
            if kind == 'rep':
                return self.rep(node, seq, i, pos, end, k)
            if kind == 'group':
                n = node[1]
                rest = seq
                nxt = i + 1
                if n is None:
                    return self.alts(node[2], pos, end,
                                     lambda p: self.seq(rest, nxt, p, end, k))
                start = pos

                def after_group(p, n=n, start=start, rest=rest, nxt=nxt):
                    old = self.caps[n]
                    self.caps[n] = (start, p)
                    r = self.seq(rest, nxt, p, end, k)
                    if r is None:
                        self.caps[n] = old
                    return r
                return self.alts(node[2], pos, end, after_group)
            if kind == 'look':
                saved = list(self.caps)
                hit = self.alts(node[2], pos, end, lambda p: p) is not None
                if node[1]:
                    self.caps = saved
                    if hit:
                        return None
                elif not hit:
                    self.caps = saved
                    return None
                i += 1
                continue
            if kind == 'backref':
                cap = self.caps[node[1]]
                if cap is None:
                    return None
                text = s[cap[0]:cap[1]]
                if self.icase:
                    ok = s[pos:pos + len(text)].lower() == text.lower()
                else:
                    ok = s.startswith(text, pos)
                if not ok or pos + len(text) > end:
                    return None
                pos += len(text)
                i += 1
                continue
            if not self.assertion(kind, pos, end):
                return None
            i += 1
        return k(pos)

    def assertion(self, kind, pos, end):
        s = self.s
        if kind == 'bol':
            return pos == 0 or (bool(self.flags & MULTILINE) and s[pos - 1] == '\n')
        if kind == 'eol':
            if pos == end or (pos == end - 1 and s[pos] == '\n'):
                return True
            return bool(self.flags & MULTILINE) and pos < end and s[pos] == '\n'
        if kind == 'start':
            return pos == 0
        if kind == 'end':
            return pos == end
        before = pos > 0 and self.word(s[pos - 1])
        after = pos < end and self.word(s[pos])
        if kind == 'wordb':
            return before != after
        return before == after

    def word(self, ch):
        return _is_word(ch) and (not self.ascii or ord(ch) < 128)

    def rep(self, node, seq, i, pos, end, k):
        sub, lo, hi, greedy = node[1], node[2], node[3], node[4]
        nxt = i + 1
        if sub[0] in ('lit', 'any', 'set'):
            # One character at a time: count how far it can go, then back off.
            s = self.s
            limit = end if hi is None else min(end, pos + hi)
            if greedy:
                j = pos
                while j < limit and self.char_ok(sub, s[j]):
                    j += 1
                if j - pos < lo:
                    return None
                while j >= pos + lo:
                    r = self.seq(seq, nxt, j, end, k)
                    if r is not None:
                        return r
                    j -= 1
                return None
            j = pos
            while j < pos + lo:
                if j >= end or not self.char_ok(sub, s[j]):
                    return None
                j += 1
            while True:
                r = self.seq(seq, nxt, j, end, k)
                if r is not None:
                    return r
                if j >= limit or not self.char_ok(sub, s[j]):
                    return None
                j += 1
        one = [sub]

        def attempt(count, p):
            def more(q):
                if q == p and count >= lo:
                    # An empty iteration ends the loop (its captures stay).
                    return self.seq(seq, nxt, q, end, k)
                return attempt(count + 1, q)
            if greedy:
                if hi is None or count < hi:
                    r = self.seq(one, 0, p, end, more)
                    if r is not None:
                        return r
                if count >= lo:
                    return self.seq(seq, nxt, p, end, k)
                return None
            if count >= lo:
                r = self.seq(seq, nxt, p, end, k)
                if r is not None:
                    return r
            if hi is None or count < hi:
                return self.seq(one, 0, p, end, more)
            return None
        return attempt(0, pos)


# ---------------------------------------------------------------- objects

class Match:
    """The result of a successful match."""

    def __init__(self, pattern, string, pos, endpos, caps):
        self.re = pattern
        self.string = string
        self.pos = pos
        self.endpos = endpos
        self._caps = caps
        last = None
        for n in range(1, len(caps)):
            if caps[n] is not None:
                if last is None or caps[n][1] >= caps[last][1]:
                    last = n
        self.lastindex = last
        self.lastgroup = None
        if last is not None:
            for name, n in pattern.groupindex.items():
                if n == last:
                    self.lastgroup = name

    def _index(self, g):
        if isinstance(g, str):
            if g in self.re.groupindex:
                return self.re.groupindex[g]
            raise IndexError('no such group')
        if isinstance(g, int) and 0 <= g < len(self._caps):
            return g
        raise IndexError('no such group')

    def _get(self, n, default=None):
        cap = self._caps[n]
        if cap is None:
            return default
        return self.string[cap[0]:cap[1]]

    def group(self, *groups):
        if not groups:
            return self._get(0)
        if len(groups) == 1:
            return self._get(self._index(groups[0]))
        return tuple(self._get(self._index(g)) for g in groups)

    def __getitem__(self, g):
        return self._get(self._index(g))

    def groups(self, default=None):
        return tuple(self._get(n, default) for n in range(1, len(self._caps)))

    def groupdict(self, default=None):
        return {name: self._get(n, default) for name, n in self.re.groupindex.items()}

    def start(self, group=0):
        cap = self._caps[self._index(group)]
        return -1 if cap is None else cap[0]

    def end(self, group=0):
        cap = self._caps[self._index(group)]
        return -1 if cap is None else cap[1]

    def span(self, group=0):
        cap = self._caps[self._index(group)]
        return (-1, -1) if cap is None else cap

    def expand(self, template):
        return _expand(self.re, self, template)

    def __bool__(self):
        return True

    def __repr__(self):
        return (f"<re.Match object; span={self.span()!r}, "
                f"match={self.group()!r}>")


class Pattern:
    """A compiled regular expression."""

    def __init__(self, pattern, flags):
        if isinstance(pattern, str):
            if flags & ASCII == 0:
                flags |= UNICODE
        elif flags & UNICODE:
            raise ValueError('cannot use UNICODE flag with a bytes pattern')
        text = pattern.decode('latin-1') if isinstance(pattern, bytes) else pattern
        parser = _Parser(text, flags)
        self._tree = parser.parse()
        self.pattern = pattern
        self.flags = parser.flags
        self.groups = parser.ngroups
        self.groupindex = dict(parser.names)

    def _check(self, string):
        if isinstance(self.pattern, str) and not isinstance(string, str):
            raise TypeError('cannot use a string pattern on a bytes-like object')
        if isinstance(self.pattern, bytes) and isinstance(string, str):
            raise TypeError('cannot use a bytes pattern on a string-like object')

    def _at(self, string, pos, endpos, anchored_end):
        # The match starting exactly at pos, or None.
        m = _Matcher(self, string, self.groups)
        end = endpos
        if anchored_end:
            k = lambda p: p if p == end else None
        else:
            k = lambda p: p
        r = m.alts(self._tree, pos, end, k)
        if r is None:
            return None
        m.caps[0] = (pos, r)
        return Match(self, string, pos, endpos, m.caps)

    def _bounds(self, string, pos, endpos):
        n = len(string)
        if pos < 0:
            pos = 0
        if endpos is None or endpos > n:
            endpos = n
        return min(pos, n), endpos

    def match(self, string, pos=0, endpos=None):
        self._check(string)
        pos, endpos = self._bounds(string, pos, endpos)
        return self._at(string, pos, endpos, False)

    def fullmatch(self, string, pos=0, endpos=None):
        self._check(string)
        pos, endpos = self._bounds(string, pos, endpos)
        return self._at(string, pos, endpos, True)

    def search(self, string, pos=0, endpos=None):
        self._check(string)
        pos, endpos = self._bounds(string, pos, endpos)
        for p in range(pos, endpos + 1):
            m = self._at(string, p, endpos, False)
            if m is not None:
                return m
        return None

    def finditer(self, string, pos=0, endpos=None):
        self._check(string)
        pos, endpos = self._bounds(string, pos, endpos)
        result = []
        p = pos
        must_advance = False
        while p <= endpos:
            m = None
            q = p
            while q <= endpos:
                # After an empty match, the next match may start at the same
                # place only if it is not empty.
                if must_advance and q == p:
                    m = self._nonempty_at(string, q, endpos)
                else:
                    m = self._at(string, q, endpos, False)
                if m is not None:
                    break
                q += 1
            if m is None:
                break
            result.append(m)
            must_advance = m.end() == m.start()
            p = m.end()
        return iter(result)

    def _nonempty_at(self, string, pos, endpos):
        m = _Matcher(self, string, self.groups)
        r = m.alts(self._tree, pos, endpos, lambda q: q if q > pos else None)
        if r is None:
            return None
        m.caps[0] = (pos, r)
        return Match(self, string, pos, endpos, m.caps)

    def findall(self, string, pos=0, endpos=None):
        out = []
        for m in self.finditer(string, pos, endpos):
            if self.groups == 0:
                out.append(m.group())
            elif self.groups == 1:
                out.append(m.group(1) if m.start(1) >= 0 else string[0:0])
            else:
                out.append(m.groups(string[0:0]))
        return out

    def split(self, string, maxsplit=0):
        out = []
        last = 0
        count = 0
        for m in self.finditer(string):
            if maxsplit and count >= maxsplit:
                break
            out.append(string[last:m.start()])
            out.extend(m.groups())
            last = m.end()
            count += 1
        out.append(string[last:])
        return out

    def subn(self, repl, string, count=0):
        self._check(string)
        if callable(repl):
            fn = repl
        else:
            fn = lambda m: _expand(self, m, repl)
        pieces = []
        last = 0
        n = 0
        for m in self.finditer(string):
            if count and n >= count:
                break
            pieces.append(string[last:m.start()])
            pieces.append(fn(m))
            last = m.end()
            n += 1
        pieces.append(string[last:])
        return string[0:0].join(pieces), n

    def sub(self, repl, string, count=0):
        return self.subn(repl, string, count)[0]

    def __repr__(self):
        names = []
        flags = self.flags
        if isinstance(self.pattern, str) and not flags & ASCII:
            flags &= ~UNICODE
        for name, bit in (('IGNORECASE', IGNORECASE), ('MULTILINE', MULTILINE),
                          ('DOTALL', DOTALL), ('UNICODE', UNICODE),
                          ('VERBOSE', VERBOSE), ('ASCII', ASCII)):
            if flags & bit:
                names.append('re.' + name)
        if names:
            return f"re.compile({self.pattern!r}, {'|'.join(names)})"
        return f"re.compile({self.pattern!r})"

    def __eq__(self, other):
        if not isinstance(other, Pattern):
            return NotImplemented
        return self.pattern == other.pattern and self.flags == other.flags

    def __hash__(self):
        return hash((self.pattern, self.flags))


def _expand(pattern, m, template):
    """A replacement template with \\1, \\g<1>, \\g<name> and escapes."""
    is_bytes = isinstance(template, bytes)
    t = template.decode('latin-1') if is_bytes else template
    out = []
    i = 0
    simple = {'n': '\n', 't': '\t', 'r': '\r', 'f': '\f', 'v': '\v',
              'a': '\a', 'b': '\b', '\\': '\\'}
    while i < len(t):
        c = t[i]
        if c != '\\' or i + 1 == len(t):
            out.append(c)
            i += 1
            continue
        d = t[i + 1]
        if d == 'g':
            end = t.find('>', i)
            if i + 2 >= len(t) or t[i + 2] != '<' or end < 0:
                raise error('missing <', template, i + 2)
            name = t[i + 3:end]
            n = int(name) if name.isdigit() else pattern.groupindex.get(name)
            if n is None:
                raise IndexError(f"unknown group name '{name}'")
            i = end + 1
        elif d.isdigit():
            j = i + 1
            while j < len(t) and j < i + 3 and t[j].isdigit():
                j += 1
            n = int(t[i + 1:j])
            i = j
        elif d in simple:
            out.append(simple[d])
            i += 2
            continue
        elif d.isalpha():
            raise error('bad escape \\' + d, template, i)
        else:
            out.append('\\' + d)
            i += 2
            continue
        if n > pattern.groups:
            raise error('invalid group reference %d' % n, template, i)
        g = m.group(n)
        if g is not None:
            out.append(g.decode('latin-1') if is_bytes else g)
    s = ''.join(out)
    return s.encode('latin-1') if is_bytes else s


_cache = {}


def compile(pattern, flags=0):
    """Compile a regular expression pattern, returning a Pattern object."""
    if isinstance(pattern, Pattern):
        if flags:
            raise ValueError('cannot process flags argument with a compiled pattern')
        return pattern
    if not isinstance(pattern, (str, bytes)):
        raise TypeError('first argument must be string or compiled pattern')
    key = (type(pattern), pattern, flags)
    p = _cache.get(key)
    if p is None:
        p = Pattern(pattern, flags)
        _cache[key] = p
    return p


def purge():
    """Clear the regular expression cache."""
    _cache.clear()


def match(pattern, string, flags=0):
    return compile(pattern, flags).match(string)


def fullmatch(pattern, string, flags=0):
    return compile(pattern, flags).fullmatch(string)


def search(pattern, string, flags=0):
    return compile(pattern, flags).search(string)


def sub(pattern, repl, string, count=0, flags=0):
    return compile(pattern, flags).sub(repl, string, count)


def subn(pattern, repl, string, count=0, flags=0):
    return compile(pattern, flags).subn(repl, string, count)


def split(pattern, string, maxsplit=0, flags=0):
    return compile(pattern, flags).split(string, maxsplit)


def findall(pattern, string, flags=0):
    return compile(pattern, flags).findall(string)


def finditer(pattern, string, flags=0):
    return compile(pattern, flags).finditer(string)


def escape(pattern):
    """Escape special characters in a string."""
    if isinstance(pattern, bytes):
        return escape(pattern.decode('latin-1')).encode('latin-1')
    out = []
    for c in pattern:
        if c in _SPECIAL or c in '#&~-' or c in ' \t\n\r\v\f':
            out.append('\\' + c)
        else:
            out.append(c)
    return ''.join(out)
