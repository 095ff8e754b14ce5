//! Calls into C and callbacks from C, through libffi.
//!
//! A C signature is a list of scalar [`Kind`]s (integers of each width, `float`,
//! `double`, pointers; structs by value are not supported). Values cross this module as
//! raw 64-bit words: an integer is its value truncated to its width and widened back
//! (sign- or zero-extended), a `double` its bits, a `float` the bits of the `f32` in the
//! low half, a pointer its address. [`Kind::widen`] and [`Kind::narrow`] convert.
//!
//! [`Signature::call`] calls a function pointer with such words; [`Callback`] is a C
//! function pointer (a libffi closure) that calls a Rust handler with the words of its
//! arguments and returns the word the handler gives back.

use libffi::middle::{Cif, ClosureOnce, CodePtr, Type};
use std::ffi::c_void;

#[cfg(target_endian = "big")]
compile_error!("thicket-ffi-bridge passes scalars in 64-bit words: little-endian only");

/// The C scalar kinds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// `void` (return type only).
    Void,
    /// Signed and unsigned integers of 8, 16, 32 and 64 bits.
    I8,
    /// `unsigned char`, `uint8_t`...
    U8,
    /// `short`...
    I16,
    /// `unsigned short`...
    U16,
    /// `int`...
    I32,
    /// `unsigned int`...
    U32,
    /// `long`, `long long`, `ssize_t`...
    I64,
    /// `unsigned long`, `size_t`...
    U64,
    /// `float`.
    F32,
    /// `double`.
    F64,
    /// Any pointer.
    Ptr,
}

impl Kind {
    /// Size in bytes (0 for `void`).
    pub fn size(self) -> usize {
        match self {
            Kind::Void => 0,
            Kind::I8 | Kind::U8 => 1,
            Kind::I16 | Kind::U16 => 2,
            Kind::I32 | Kind::U32 | Kind::F32 => 4,
            Kind::I64 | Kind::U64 | Kind::F64 | Kind::Ptr => 8,
        }
    }

    /// Whether an integer kind is signed.
    pub fn signed(self) -> bool {
        matches!(self, Kind::I8 | Kind::I16 | Kind::I32 | Kind::I64)
    }

    /// Whether this is an integer kind.
    pub fn is_int(self) -> bool {
        !matches!(self, Kind::Void | Kind::F32 | Kind::F64 | Kind::Ptr)
    }

    /// The range of an integer kind, as `i128`.
    pub fn int_range(self) -> (i128, i128) {
        let bits = self.size() as u32 * 8;
        if self.signed() {
            (-(1i128 << (bits - 1)), (1i128 << (bits - 1)) - 1)
        } else {
            (0, (1i128 << bits) - 1)
        }
    }

    /// A raw word normalised for this kind: integers truncated to their width and
    /// extended back, so equal C values have equal words.
    pub fn widen(self, raw: u64) -> u64 {
        match self {
            Kind::I8 => raw as i8 as i64 as u64,
            Kind::U8 => raw as u8 as u64,
            Kind::I16 => raw as i16 as i64 as u64,
            Kind::U16 => raw as u16 as u64,
            Kind::I32 => raw as i32 as i64 as u64,
            Kind::U32 | Kind::F32 => raw as u32 as u64,
            _ => raw,
        }
    }

    /// An integer word as `i128` (signed kinds sign-extended).
    pub fn to_i128(self, raw: u64) -> i128 {
        let w = self.widen(raw);
        if self.signed() {
            w as i64 as i128
        } else {
            w as i128
        }
    }

    /// The word of a float value for `F32`/`F64`.
    pub fn float_word(self, x: f64) -> u64 {
        if self == Kind::F32 {
            (x as f32).to_bits() as u64
        } else {
            x.to_bits()
        }
    }

    /// The float value of an `F32`/`F64` word.
    pub fn word_float(self, raw: u64) -> f64 {
        if self == Kind::F32 {
            f32::from_bits(raw as u32) as f64
        } else {
            f64::from_bits(raw)
        }
    }

    fn ffi_type(self) -> Type {
        match self {
            Kind::Void => Type::void(),
            Kind::I8 => Type::i8(),
            Kind::U8 => Type::u8(),
            Kind::I16 => Type::i16(),
            Kind::U16 => Type::u16(),
            Kind::I32 => Type::i32(),
            Kind::U32 => Type::u32(),
            Kind::I64 => Type::i64(),
            Kind::U64 => Type::u64(),
            Kind::F32 => Type::f32(),
            Kind::F64 => Type::f64(),
            Kind::Ptr => Type::pointer(),
        }
    }

    /// Reads a value of this kind at `addr`, as a word.
    ///
    /// # Safety
    /// `addr` must be valid for reading `self.size()` bytes (no alignment needed).
    pub unsafe fn read(self, addr: *const u8) -> u64 {
        let mut w = [0u8; 8];
        // SAFETY: the caller guarantees `size()` readable bytes; `w` has 8.
        unsafe { std::ptr::copy_nonoverlapping(addr, w.as_mut_ptr(), self.size()) };
        self.widen(u64::from_le_bytes(w))
    }

    /// Writes the word `raw` as a value of this kind at `addr`.
    ///
    /// # Safety
    /// `addr` must be valid for writing `self.size()` bytes (no alignment needed).
    pub unsafe fn write(self, addr: *mut u8, raw: u64) {
        let w = raw.to_le_bytes();
        // SAFETY: the caller guarantees `size()` writable bytes.
        unsafe { std::ptr::copy_nonoverlapping(w.as_ptr(), addr, self.size()) };
    }
}

/// A C function signature, prepared for libffi.
pub struct Signature {
    cif: Cif,
    args: Vec<Kind>,
    ret: Kind,
}

impl std::fmt::Debug for Signature {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Signature({:?} -> {:?})", self.args, self.ret)
    }
}

impl Signature {
    /// The signature `ret (args...)`. `Void` is refused among the arguments.
    pub fn new(args: &[Kind], ret: Kind) -> Result<Signature, String> {
        if args.contains(&Kind::Void) {
            return Err("void is not an argument type".into());
        }
        let cif = Cif::try_new(args.iter().map(|k| k.ffi_type()), ret.ffi_type())
            .map_err(|e| format!("libffi refused the signature: {e:?}"))?;
        Ok(Signature {
            cif,
            args: args.to_vec(),
            ret,
        })
    }

    /// The argument kinds.
    pub fn args(&self) -> &[Kind] {
        &self.args
    }

    /// The return kind.
    pub fn ret(&self) -> Kind {
        self.ret
    }

    /// Calls `f` with the argument words (one per argument) and returns the result word
    /// (0 for `void`), normalised by [`Kind::widen`].
    ///
    /// # Safety
    /// `f` must be a C function of this signature, and the pointer arguments what it
    /// expects (valid memory of the right size, for as long as it uses them).
    pub unsafe fn call(&self, f: *const c_void, args: &[u64]) -> u64 {
        assert_eq!(args.len(), self.args.len(), "argument count");
        // Each word holds its value in its first bytes (little-endian), which is what
        // libffi reads through the argument pointer for every scalar kind.
        let words: Vec<u64> = args
            .iter()
            .zip(&self.args)
            .map(|(&w, k)| k.widen(w))
            .collect();
        let ptrs: Vec<*mut c_void> = words
            .iter()
            .map(|w| w as *const u64 as *mut c_void)
            .collect();
        // libffi writes at least a full `ffi_arg` (8 bytes here) for integer returns.
        let mut ret = [0u64; 2];
        // SAFETY: the cif matches the argument pointers (one per argument, each to 8
        // readable bytes); the return buffer is 16 bytes; `f` is the caller's promise.
        unsafe {
            libffi::raw::ffi_call(
                self.cif.as_raw_ptr(),
                Some(*CodePtr::from_ptr(f).as_fun()),
                ret.as_mut_ptr() as *mut c_void,
                ptrs.as_ptr() as *mut *mut c_void,
            )
        };
        self.ret.widen(ret[0])
    }
}

/// The Rust side of a callback: the argument words in, the result word out.
pub type Handler = Box<dyn FnMut(&[u64]) -> u64>;

struct CallbackData {
    args: Vec<Kind>,
    ret: Kind,
    handler: Handler,
}

/// A C function pointer that calls a Rust handler. The pointer is valid while the
/// `Callback` lives.
pub struct Callback {
    closure: ClosureOnce,
}

impl std::fmt::Debug for Callback {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Callback({:p})", self.code_ptr())
    }
}

unsafe extern "C" fn trampoline(
    _cif: &libffi::low::ffi_cif,
    result: &mut u64,
    args: *const *const c_void,
    data: &mut Option<CallbackData>,
) {
    let Some(d) = data.as_mut() else {
        return;
    };
    let words: Vec<u64> = d
        .args
        .iter()
        .enumerate()
        // SAFETY: libffi passes one pointer per argument of the cif, each to a value of
        // the argument's kind.
        .map(|(i, k)| unsafe { k.read(*args.add(i) as *const u8) })
        .collect();
    let r = (d.handler)(&words);
    match d.ret {
        Kind::Void => {}
        // Small integers are returned widened to a full `ffi_arg`.
        k if k.is_int() => *result = k.widen(r),
        // SAFETY: the result buffer holds at least 8 bytes.
        k => unsafe { k.write(result as *mut u64 as *mut u8, r) },
    }
}

impl Callback {
    /// A C function of signature `sig` that calls `handler`.
    pub fn new(sig: &Signature, handler: Handler) -> Result<Callback, String> {
        let cif = Cif::try_new(sig.args.iter().map(|k| k.ffi_type()), sig.ret.ffi_type())
            .map_err(|e| format!("libffi refused the signature: {e:?}"))?;
        let data = CallbackData {
            args: sig.args.clone(),
            ret: sig.ret,
            handler,
        };
        let closure = ClosureOnce::try_new(cif, trampoline, data)
            .map_err(|e| format!("libffi could not make a closure: {e:?}"))?;
        Ok(Callback { closure })
    }

    /// The C function pointer.
    pub fn code_ptr(&self) -> *const c_void {
        *self.closure.code_ptr() as *const c_void
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    extern "C" fn add3(a: i8, b: u32, c: f64) -> f64 {
        a as f64 + b as f64 + c
    }

    #[test]
    fn calls_with_mixed_kinds() {
        let sig = Signature::new(&[Kind::I8, Kind::U32, Kind::F64], Kind::F64).unwrap();
        let f = add3 as *const c_void;
        // SAFETY: `f` has this signature.
        let r = unsafe { sig.call(f, &[(-3i64) as u64, 40, 0.5f64.to_bits()]) };
        assert_eq!(f64::from_bits(r), 37.5);
    }

    #[test]
    fn callbacks_through_qsort() {
        let sig = Signature::new(&[Kind::Ptr, Kind::Ptr], Kind::I32).unwrap();
        let mut calls = 0u32;
        let counter = &mut calls as *mut u32 as usize;
        let cb = Callback::new(
            &sig,
            Box::new(move |w| {
                // SAFETY: qsort passes pointers to elements of the i32 array below; the
                // counter outlives the callback.
                unsafe {
                    *(counter as *mut u32) += 1;
                    let a = *(w[0] as *const i32);
                    let b = *(w[1] as *const i32);
                    (a.cmp(&b) as i32) as u64
                }
            }),
        )
        .unwrap();
        let mut v = [5i32, -1, 9, 3, 3, 0];
        let qsort =
            Signature::new(&[Kind::Ptr, Kind::U64, Kind::U64, Kind::Ptr], Kind::Void).unwrap();
        // SAFETY: libc's qsort with a matching comparison function.
        unsafe {
            qsort.call(
                libc::qsort as *const c_void,
                &[v.as_mut_ptr() as u64, 6, 4, cb.code_ptr() as u64],
            )
        };
        assert_eq!(v, [-1, 0, 3, 3, 5, 9]);
        assert!(calls > 0);
    }

    #[test]
    fn words_round_trip_through_memory() {
        let mut buf = [0u8; 8];
        for (k, v) in [
            (Kind::I16, -2i64 as u64),
            (Kind::U8, 200),
            (Kind::I32, -7i64 as u64),
        ] {
            // SAFETY: 8 bytes of buffer.
            unsafe {
                k.write(buf.as_mut_ptr(), v);
                assert_eq!(k.read(buf.as_ptr()), v);
            }
        }
        assert_eq!(Kind::I8.to_i128(255), -1);
        assert_eq!(Kind::U16.int_range(), (0, 65535));
    }
}
