"""String constants, capwords and Template.

ascii_letters, ascii_lowercase, ascii_uppercase, digits, hexdigits,
octdigits, punctuation, whitespace, printable; capwords(s, sep=None);
Template, for $-substitutions, written without the re module: subclasses
may change ``delimiter`` but not ``idpattern``/``pattern`` (identifiers
are ASCII letters, digits and underscores, not starting with a digit).
"""

__all__ = ['ascii_letters', 'ascii_lowercase', 'ascii_uppercase', 'capwords',
           'digits', 'hexdigits', 'octdigits', 'printable', 'punctuation',
           'whitespace', 'Template']

whitespace = ' \t\n\r\x0b\x0c'
ascii_lowercase = 'abcdefghijklmnopqrstuvwxyz'
ascii_uppercase = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'
ascii_letters = ascii_lowercase + ascii_uppercase
digits = '0123456789'
hexdigits = digits + 'abcdef' + 'ABCDEF'
octdigits = '01234567'
punctuation = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'
printable = digits + ascii_letters + punctuation + whitespace


def capwords(s, sep=None):
    """capwords(s [,sep]) -> string

    Split the argument into words using split, capitalize each word using
    capitalize, and join the capitalized words using join.  If the optional
    second argument sep is absent or None, runs of whitespace characters are
    replaced by a single space and leading and trailing whitespace are
    removed, otherwise sep is used to split and join the words.
    """
    words = [word.capitalize() for word in s.split(sep)]
    return (sep or ' ').join(words)


################################################################################
# Template
################################################################################

_ID_START = ascii_letters + '_'
_ID_CHARS = ascii_letters + digits + '_'


def _identifier_end(text, start):
    """The index just past the identifier starting at text[start], or start
    if there is none."""
    n = len(text)
    if start >= n or text[start] not in _ID_START:
        return start
    i = start + 1
    while i < n and text[i] in _ID_CHARS:
        i += 1
    return i


class Template:
    """A string class for supporting $-substitutions."""

    delimiter = '$'

    def __init__(self, template):
        self.template = template

    def _placeholders(self):
        """Split the template into pieces, yielding (kind, text, name,
        position): kind is 'text', 'escaped', 'named', 'braced' or
        'invalid'; text is the source text of the piece; position is where
        it starts (for 'invalid', where the placeholder name should have
        started)."""
        template = self.template
        delimiter = self.delimiter
        size = len(delimiter)
        i = 0
        while True:
            j = template.find(delimiter, i)
            if j < 0:
                if i < len(template):
                    yield ('text', template[i:], None, i)
                return
            if j > i:
                yield ('text', template[i:j], None, i)
            k = j + size
            if template.startswith(delimiter, k):
                yield ('escaped', template[j:k + size], None, j)
                i = k + size
                continue
            end = _identifier_end(template, k)
            if end > k:
                yield ('named', template[j:end], template[k:end], j)
                i = end
                continue
            if template.startswith('{', k):
                end = _identifier_end(template, k + 1)
                if end > k + 1 and template.startswith('}', end):
                    yield ('braced', template[j:end + 1], template[k + 1:end],
                           j)
                    i = end + 1
                    continue
            # The position of an invalid placeholder is just after the
            # delimiter.
            yield ('invalid', template[j:k], None, k)
            i = k

    def _invalid(self, position):
        lines = self.template[:position].splitlines(True)
        if not lines:
            colno = 1
            lineno = 1
        else:
            colno = position - len(''.join(lines[:-1]))
            lineno = len(lines)
        raise ValueError(f'Invalid placeholder in string: line {lineno}, '
                         f'col {colno}')

    def _mapping(self, args, kws):
        if len(args) > 1:
            raise TypeError(f'substitute() takes from 1 to 2 positional '
                            f'arguments but {len(args) + 1} were given')
        if not args:
            return kws
        mapping = args[0]
        if kws:
            merged = _ChainLookup(kws, mapping)
            return merged
        return mapping

    def substitute(self, *args, **kws):
        mapping = self._mapping(args, kws)
        pieces = []
        for kind, text, name, position in self._placeholders():
            if kind == 'text':
                pieces.append(text)
            elif kind == 'escaped':
                pieces.append(self.delimiter)
            elif kind == 'invalid':
                self._invalid(position)
            else:
                pieces.append(str(mapping[name]))
        return ''.join(pieces)

    def safe_substitute(self, *args, **kws):
        mapping = self._mapping(args, kws)
        pieces = []
        for kind, text, name, position in self._placeholders():
            if kind == 'text' or kind == 'invalid':
                pieces.append(text)
            elif kind == 'escaped':
                pieces.append(self.delimiter)
            else:
                try:
                    pieces.append(str(mapping[name]))
                except KeyError:
                    pieces.append(text)
        return ''.join(pieces)

    def is_valid(self):
        for kind, text, name, position in self._placeholders():
            if kind == 'invalid':
                return False
        return True

    def get_identifiers(self):
        ids = []
        for kind, text, name, position in self._placeholders():
            if name is not None and name not in ids:
                ids.append(name)
        return ids


class _ChainLookup:
    """Look keys up in the keyword arguments first, then in the mapping."""

    def __init__(self, first, second):
        self._first = first
        self._second = second

    def __getitem__(self, key):
        if key in self._first:
            return self._first[key]
        return self._second[key]
