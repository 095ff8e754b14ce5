//! Interned names the VM looks up often (dunder methods, exception attributes). Interned
//! strings never move or die, so these values stay valid for the VM's life.

use thicket_object_model::{Space, Value};

macro_rules! names {
    ($($field:ident = $text:literal),* $(,)?) => {
        /// The interned names.
        #[derive(Clone, Copy)]
        pub struct Names {
            $(
                #[doc = concat!("`", $text, "`")]
                pub $field: Value,
            )*
        }

        impl Names {
            /// Interns every name.
            pub fn new(sp: &mut Space) -> Names {
                Names { $($field: sp.intern($text),)* }
            }
        }
    };
}

names! {
    args = "args",
    traceback = "__traceback__",
    cause = "__cause__",
    context = "__context__",
    suppress_context = "__suppress_context__",
    init = "__init__",
    new = "__new__",
    call = "__call__",
    getattr = "__getattr__",
    getattribute = "__getattribute__",
    setattr = "__setattr__",
    delattr = "__delattr__",
    get = "__get__",
    set = "__set__",
    iter = "__iter__",
    next = "__next__",
    len = "__len__",
    bool_ = "__bool__",
    eq = "__eq__",
    ne = "__ne__",
    lt = "__lt__",
    le = "__le__",
    gt = "__gt__",
    ge = "__ge__",
    hash = "__hash__",
    repr = "__repr__",
    str_ = "__str__",
    format = "__format__",
    getitem = "__getitem__",
    setitem = "__setitem__",
    delitem = "__delitem__",
    contains = "__contains__",
    missing = "__missing__",
    enter = "__enter__",
    exit = "__exit__",
    index = "__index__",
    int_ = "__int__",
    float_ = "__float__",
    neg = "__neg__",
    pos = "__pos__",
    invert = "__invert__",
    abs = "__abs__",
    round = "__round__",
    reversed = "__reversed__",
    name = "__name__",
    qualname = "__qualname__",
    module = "__module__",
    doc = "__doc__",
    dict = "__dict__",
    class = "__class__",
    file = "__file__",
    builtins = "__builtins__",
    all = "__all__",
    path = "__path__",
    package = "__package__",
    init_subclass = "__init_subclass__",
    set_name = "__set_name__",
    value = "value",
    code = "code",
    msg = "msg",
    filename = "filename",
    lineno = "lineno",
    main = "__main__",
}
