# warnings: warn with categories and stacklevel, the filter actions (error, ignore,
# always, default, module, once), filterwarnings by message/module/line,
# catch_warnings(record=True), a replaced showwarning, formatwarning, WarningMessage.
import warnings


def deep(level):
    warnings.warn("from deep", UserWarning, stacklevel=level)


with warnings.catch_warnings(record=True) as log:
    warnings.simplefilter("always")
    warnings.warn("plain")
    warnings.warn("future", FutureWarning)
    warnings.warn(RuntimeWarning("an instance"))
    deep(1)
    deep(2)
    for w in log:
        print(w.category.__name__, str(w.message), w.filename.endswith("lib_warnings.py"), w.lineno)
    print(str(log[0]).startswith("{message : UserWarning('plain'), category : 'UserWarning'"))

with warnings.catch_warnings(record=True) as log:
    warnings.simplefilter("default")
    for i in range(3):
        warnings.warn("same place")
    warnings.warn("same place")
    print("default", len(log))
    warnings.simplefilter("module")
    for i in range(2):
        warnings.warn("per module")
    warnings.warn("per module")
    print("module", len(log))
    warnings.simplefilter("once")
    warnings.warn("just once")
    warnings.warn("just once")
    print("once", len(log))

with warnings.catch_warnings():
    warnings.simplefilter("error")
    try:
        warnings.warn("boom", DeprecationWarning)
    except DeprecationWarning as e:
        print("raised", type(e).__name__, e)
    warnings.filterwarnings("ignore", message="ign")
    warnings.warn("IGNORE me")
    try:
        warnings.warn("other")
    except UserWarning as e:
        print("raised", e)

with warnings.catch_warnings(record=True) as log:
    warnings.resetwarnings()
    warnings.filterwarnings("ignore", category=UserWarning, module="__main__")
    warnings.warn("hidden")
    warnings.warn("shown", SyntaxWarning)
    print([str(w.message) for w in log])

shown = []
saved = warnings.showwarning
warnings.showwarning = lambda m, c, f, l, file=None, line=None: shown.append((str(m), c.__name__))
warnings.warn("to the hook")
warnings.warn("deprecated here", DeprecationWarning)
warnings.warn("pending", PendingDeprecationWarning)
warnings.showwarning = saved
print(shown)
print(warnings.formatwarning("msg", UserWarning, "file.py", 12, "  x = 1  "), end="")
for bad in (lambda: warnings.warn("x", int), lambda: warnings.simplefilter("sometimes")):
    try:
        bad()
    except (TypeError, AssertionError) as e:
        print(type(e).__name__, e)
