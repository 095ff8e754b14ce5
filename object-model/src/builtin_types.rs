//! The built-in type objects: the table that names them, their bases and the layout
//! their instances use, and the struct through which the interpreter reaches them.

use crate::value::Value;

/// What layout (and built-in behaviour) the instances of a type have. A class defined
/// in Python has `Instance` and inherits the `base_kind` of its solid built-in base.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    Object,
    Int,
    Bool,
    Float,
    Str,
    Bytes,
    ByteArray,
    Tuple,
    List,
    Dict,
    Set,
    FrozenSet,
    Type,
    Function,
    Builtin,
    Method,
    Cell,
    Module,
    Range,
    Slice,
    Property,
    StaticMethod,
    ClassMethod,
    Super,
    Traceback,
    Generator,
    /// Any of the iterator objects (`ITER` layout).
    Iter,
    /// `dict_keys` / `dict_values` / `dict_items` views (`ITER` layout).
    DictView,
    NoneType,
    NotImplementedType,
    Ellipsis,
    /// Instances of classes (mapdict layout), exceptions included.
    Instance,
}

macro_rules! builtin_types {
    ($($field:ident : $name:literal, $base:ident, $kind:ident;)*) => {
        /// The built-in type objects. They never move (allocated non-moving) and never
        /// die (rooted by the space), so these `Value`s stay valid forever.
        #[derive(Clone, Copy, Debug)]
        pub struct BuiltinTypes {
            $(
                #[doc = concat!("`", $name, "`")]
                pub $field: Value,
            )*
        }

        /// `(field, Python name, base field, kind)` for every built-in type, bases first.
        pub const BUILTIN_TYPE_TABLE: &[(&str, &str, &str, Kind)] = &[
            $((stringify!($field), $name, stringify!($base), Kind::$kind),)*
        ];

        impl BuiltinTypes {
            /// Builds the struct from values in table order.
            pub fn from_table(v: &[Value]) -> BuiltinTypes {
                let mut it = v.iter().copied();
                BuiltinTypes { $($field: it.next().expect(stringify!($field)),)* }
            }

            /// The type objects in table order.
            pub fn all(&self) -> Vec<Value> {
                vec![$(self.$field,)*]
            }
        }
    };
}

builtin_types! {
    object: "object", object, Object;
    type_: "type", object, Type;
    int: "int", object, Int;
    bool_: "bool", int, Bool;
    float: "float", object, Float;
    str_: "str", object, Str;
    bytes: "bytes", object, Bytes;
    bytearray: "bytearray", object, ByteArray;
    tuple: "tuple", object, Tuple;
    list: "list", object, List;
    dict: "dict", object, Dict;
    set: "set", object, Set;
    frozenset: "frozenset", object, FrozenSet;
    none_type: "NoneType", object, NoneType;
    not_implemented_type: "NotImplementedType", object, NotImplementedType;
    ellipsis: "ellipsis", object, Ellipsis;
    function: "function", object, Function;
    builtin_function: "builtin_function_or_method", object, Builtin;
    method: "method", object, Method;
    cell: "cell", object, Cell;
    module: "module", object, Module;
    range: "range", object, Range;
    slice: "slice", object, Slice;
    property: "property", object, Property;
    staticmethod: "staticmethod", object, StaticMethod;
    classmethod: "classmethod", object, ClassMethod;
    super_: "super", object, Super;
    traceback: "traceback", object, Traceback;
    generator: "generator", object, Generator;
    list_iterator: "list_iterator", object, Iter;
    list_reverseiterator: "list_reverseiterator", object, Iter;
    tuple_iterator: "tuple_iterator", object, Iter;
    range_iterator: "range_iterator", object, Iter;
    str_iterator: "str_ascii_iterator", object, Iter;
    bytes_iterator: "bytes_iterator", object, Iter;
    dict_keyiterator: "dict_keyiterator", object, Iter;
    dict_valueiterator: "dict_valueiterator", object, Iter;
    dict_itemiterator: "dict_itemiterator", object, Iter;
    set_iterator: "set_iterator", object, Iter;
    seq_iterator: "iterator", object, Iter;
    callable_iterator: "callable_iterator", object, Iter;
    enumerate: "enumerate", object, Iter;
    zip: "zip", object, Iter;
    map: "map", object, Iter;
    filter: "filter", object, Iter;
    reversed: "reversed", object, Iter;
    dict_keys: "dict_keys", object, DictView;
    dict_values: "dict_values", object, DictView;
    dict_items: "dict_items", object, DictView;
    base_exception: "BaseException", object, Instance;
    system_exit: "SystemExit", base_exception, Instance;
    keyboard_interrupt: "KeyboardInterrupt", base_exception, Instance;
    generator_exit: "GeneratorExit", base_exception, Instance;
    exception: "Exception", base_exception, Instance;
    arithmetic_error: "ArithmeticError", exception, Instance;
    floating_point_error: "FloatingPointError", arithmetic_error, Instance;
    overflow_error: "OverflowError", arithmetic_error, Instance;
    zero_division_error: "ZeroDivisionError", arithmetic_error, Instance;
    assertion_error: "AssertionError", exception, Instance;
    attribute_error: "AttributeError", exception, Instance;
    buffer_error: "BufferError", exception, Instance;
    eof_error: "EOFError", exception, Instance;
    import_error: "ImportError", exception, Instance;
    module_not_found_error: "ModuleNotFoundError", import_error, Instance;
    lookup_error: "LookupError", exception, Instance;
    index_error: "IndexError", lookup_error, Instance;
    key_error: "KeyError", lookup_error, Instance;
    memory_error: "MemoryError", exception, Instance;
    name_error: "NameError", exception, Instance;
    unbound_local_error: "UnboundLocalError", name_error, Instance;
    os_error: "OSError", exception, Instance;
    file_not_found_error: "FileNotFoundError", os_error, Instance;
    file_exists_error: "FileExistsError", os_error, Instance;
    permission_error: "PermissionError", os_error, Instance;
    is_a_directory_error: "IsADirectoryError", os_error, Instance;
    not_a_directory_error: "NotADirectoryError", os_error, Instance;
    timeout_error: "TimeoutError", os_error, Instance;
    reference_error: "ReferenceError", exception, Instance;
    runtime_error: "RuntimeError", exception, Instance;
    not_implemented_error: "NotImplementedError", runtime_error, Instance;
    recursion_error: "RecursionError", runtime_error, Instance;
    stop_iteration: "StopIteration", exception, Instance;
    stop_async_iteration: "StopAsyncIteration", exception, Instance;
    syntax_error: "SyntaxError", exception, Instance;
    indentation_error: "IndentationError", syntax_error, Instance;
    tab_error: "TabError", indentation_error, Instance;
    system_error: "SystemError", exception, Instance;
    type_error: "TypeError", exception, Instance;
    value_error: "ValueError", exception, Instance;
    unicode_error: "UnicodeError", value_error, Instance;
    unicode_decode_error: "UnicodeDecodeError", unicode_error, Instance;
    unicode_encode_error: "UnicodeEncodeError", unicode_error, Instance;
    warning: "Warning", exception, Instance;
    deprecation_warning: "DeprecationWarning", warning, Instance;
    pending_deprecation_warning: "PendingDeprecationWarning", warning, Instance;
    runtime_warning: "RuntimeWarning", warning, Instance;
    syntax_warning: "SyntaxWarning", warning, Instance;
    user_warning: "UserWarning", warning, Instance;
    future_warning: "FutureWarning", warning, Instance;
    import_warning: "ImportWarning", warning, Instance;
    unicode_warning: "UnicodeWarning", warning, Instance;
    bytes_warning: "BytesWarning", warning, Instance;
    resource_warning: "ResourceWarning", warning, Instance;
}

/// Whether the type named `name` in the table is an exception class.
pub fn is_exception_name(table_index: usize) -> bool {
    let mut field = BUILTIN_TYPE_TABLE[table_index].0;
    loop {
        if field == "base_exception" {
            return true;
        }
        let (_, _, base, _) = BUILTIN_TYPE_TABLE
            .iter()
            .find(|e| e.0 == field)
            .expect("table base");
        if *base == field {
            return false;
        }
        field = base;
    }
}
