//! The real-valued distributions of CPython 3.11's `random.Random` (`uniform`,
//! `triangular`, `normalvariate`, `gauss`, `lognormvariate`, `expovariate`,
//! `vonmisesvariate`, `gammavariate`, `betavariate`, `paretovariate`,
//! `weibullvariate`), drawing `random()` in CPython's order and raising CPython's
//! errors where its float arithmetic or `math` functions would.

use std::f64::consts::{E, PI};

use super::{RandError, RandErrorKind, Random};

/// 2 * pi, as `random.TWOPI`.
const TWOPI: f64 = 2.0 * PI;

/// `random.NV_MAGICCONST`: 4 * exp(-0.5) / sqrt(2.0).
fn nv_magicconst() -> f64 {
    4.0 * (-0.5f64).exp() / 2.0f64.sqrt()
}

/// Python's `x / y` on floats: `ZeroDivisionError` for a zero divisor.
fn py_div(x: f64, y: f64) -> Result<f64, RandError> {
    if y == 0.0 {
        Err(RandError::float_division_by_zero())
    } else {
        Ok(x / y)
    }
}

/// Python's `x ** y` on floats for a base that is not negative (the only case the
/// distributions meet): `ZeroDivisionError` for zero to a negative power,
/// `OverflowError` when a finite power overflows.
fn py_pow(x: f64, y: f64) -> Result<f64, RandError> {
    if x == 0.0 && y < 0.0 {
        return Err(RandError::new(
            RandErrorKind::ZeroDivisionError,
            "0.0 cannot be raised to a negative power",
        ));
    }
    let r = x.powf(y);
    if r.is_infinite() && x.is_finite() && y.is_finite() {
        return Err(RandError::new(
            RandErrorKind::OverflowError,
            "(34, 'Numerical result out of range')",
        ));
    }
    Ok(r)
}

/// `math.exp(x)`: `OverflowError("math range error")` when a finite `x` overflows.
fn math_exp(x: f64) -> Result<f64, RandError> {
    let r = x.exp();
    if r.is_infinite() && x.is_finite() {
        return Err(RandError::new(
            RandErrorKind::OverflowError,
            "math range error",
        ));
    }
    Ok(r)
}

/// `math.acos(x)`: `ValueError("math domain error")` outside [-1, 1].
fn math_acos(x: f64) -> Result<f64, RandError> {
    if x.abs() > 1.0 {
        return Err(RandError::value("math domain error"));
    }
    Ok(x.acos())
}

/// Python's float `x % y` (the result takes the sign of `y`), for a nonzero `y`.
fn py_mod(x: f64, y: f64) -> f64 {
    let m = x % y;
    if m != 0.0 {
        if (y < 0.0) != (m < 0.0) {
            m + y
        } else {
            m
        }
    } else {
        0.0f64.copysign(y)
    }
}

impl Random {
    /// `uniform(a, b)`: `a + (b - a) * random()`.
    pub fn uniform(&mut self, a: f64, b: f64) -> f64 {
        a + (b - a) * self.random()
    }

    /// `triangular(low, high, mode)`; `mode` `None` is the midpoint. Returns `low` when
    /// a mode is given and `high == low` (CPython's caught `ZeroDivisionError`).
    pub fn triangular(&mut self, low: f64, high: f64, mode: Option<f64>) -> f64 {
        let mut u = self.random();
        let mut c = match mode {
            None => 0.5,
            Some(mode) => match py_div(mode - low, high - low) {
                Ok(c) => c,
                Err(_) => return low,
            },
        };
        let (mut low, mut high) = (low, high);
        if u > c {
            u = 1.0 - u;
            c = 1.0 - c;
            std::mem::swap(&mut low, &mut high);
        }
        low + (high - low) * (u * c).sqrt()
    }

    /// `normalvariate(mu, sigma)` (Kinderman and Monahan's ratio of uniforms).
    pub fn normalvariate(&mut self, mu: f64, sigma: f64) -> f64 {
        let magic = nv_magicconst();
        loop {
            let u1 = self.random();
            let u2 = 1.0 - self.random();
            let z = magic * (u1 - 0.5) / u2;
            let zz = z * z / 4.0;
            if zz <= -u2.ln() {
                return mu + z * sigma;
            }
        }
    }

    /// `gauss(mu, sigma)` (Box-Muller): each pair of draws yields two normal values;
    /// the second is kept for the next call (and cleared by seeding).
    pub fn gauss(&mut self, mu: f64, sigma: f64) -> f64 {
        let z = match self.gauss_next.take() {
            Some(z) => z,
            None => {
                let x2pi = self.random() * TWOPI;
                let g2rad = (-2.0 * (1.0 - self.random()).ln()).sqrt();
                self.gauss_next = Some(x2pi.sin() * g2rad);
                x2pi.cos() * g2rad
            }
        };
        mu + z * sigma
    }

    /// `lognormvariate(mu, sigma)`: `exp(normalvariate(mu, sigma))`.
    pub fn lognormvariate(&mut self, mu: f64, sigma: f64) -> Result<f64, RandError> {
        let x = self.normalvariate(mu, sigma);
        math_exp(x)
    }

    /// `expovariate(lambd)`: `-log(1.0 - random()) / lambd` (3.11 has no default rate).
    pub fn expovariate(&mut self, lambd: f64) -> Result<f64, RandError> {
        let x = -(1.0 - self.random()).ln();
        py_div(x, lambd)
    }

    /// `vonmisesvariate(mu, kappa)` (Fisher's algorithm); uniform on [0, 2*pi) for
    /// `kappa <= 1e-6`.
    pub fn vonmisesvariate(&mut self, mu: f64, kappa: f64) -> Result<f64, RandError> {
        if kappa <= 1e-6 {
            return Ok(TWOPI * self.random());
        }
        let s = 0.5 / kappa;
        let r = s + (1.0 + s * s).sqrt();
        let z = loop {
            let u1 = self.random();
            let z = (PI * u1).cos();
            let d = z / (r + z);
            let u2 = self.random();
            if u2 < 1.0 - d * d || u2 <= (1.0 - d) * d.exp() {
                break z;
            }
        };
        let q = 1.0 / r;
        let f = (q + z) / (1.0 + q * z);
        let u3 = self.random();
        let theta = if u3 > 0.5 {
            py_mod(mu + math_acos(f)?, TWOPI)
        } else {
            py_mod(mu - math_acos(f)?, TWOPI)
        };
        Ok(theta)
    }

    /// `gammavariate(alpha, beta)`: Cheng's method for `alpha > 1`, an exponential
    /// for `alpha == 1`, Kennedy and Gentle's algorithm GS below 1.
    /// `ValueError("gammavariate: alpha and beta must be > 0.0")` otherwise.
    pub fn gammavariate(&mut self, alpha: f64, beta: f64) -> Result<f64, RandError> {
        if alpha <= 0.0 || beta <= 0.0 {
            return Err(RandError::value(
                "gammavariate: alpha and beta must be > 0.0",
            ));
        }
        if alpha > 1.0 {
            let log4 = 4.0f64.ln();
            let sg_magicconst = 1.0 + 4.5f64.ln();
            let ainv = (2.0 * alpha - 1.0).sqrt();
            let bbb = alpha - log4;
            let ccc = alpha + ainv;
            loop {
                let u1 = self.random();
                if !(1e-7 < u1 && u1 < 0.9999999) {
                    continue;
                }
                let u2 = 1.0 - self.random();
                let v = (u1 / (1.0 - u1)).ln() / ainv;
                let x = alpha * v.exp();
                let z = u1 * u1 * u2;
                let r = bbb + ccc * v - x;
                if r + sg_magicconst - 4.5 * z >= 0.0 || r >= z.ln() {
                    return Ok(x * beta);
                }
            }
        } else if alpha == 1.0 {
            Ok(-(1.0 - self.random()).ln() * beta)
        } else {
            loop {
                let u = self.random();
                let b = (E + alpha) / E;
                let p = b * u;
                let x = if p <= 1.0 {
                    py_pow(p, 1.0 / alpha)?
                } else {
                    -((b - p) / alpha).ln()
                };
                let u1 = self.random();
                if p > 1.0 {
                    if u1 <= py_pow(x, alpha - 1.0)? {
                        return Ok(x * beta);
                    }
                } else if u1 <= (-x).exp() {
                    return Ok(x * beta);
                }
            }
        }
    }

    /// `betavariate(alpha, beta)`: from two gamma variates (0.0 without the second
    /// when the first is 0).
    pub fn betavariate(&mut self, alpha: f64, beta: f64) -> Result<f64, RandError> {
        let y = self.gammavariate(alpha, 1.0)?;
        if y != 0.0 {
            Ok(y / (y + self.gammavariate(beta, 1.0)?))
        } else {
            Ok(0.0)
        }
    }

    /// `paretovariate(alpha)`: `(1.0 - random()) ** (-1.0 / alpha)`.
    pub fn paretovariate(&mut self, alpha: f64) -> Result<f64, RandError> {
        let u = 1.0 - self.random();
        py_pow(u, py_div(-1.0, alpha)?)
    }

    /// `weibullvariate(alpha, beta)`: `alpha * (-log(1.0 - random())) ** (1.0 / beta)`.
    pub fn weibullvariate(&mut self, alpha: f64, beta: f64) -> Result<f64, RandError> {
        let u = 1.0 - self.random();
        Ok(alpha * py_pow(-u.ln(), py_div(1.0, beta)?)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_float_mod() {
        assert_eq!(py_mod(-1.0, TWOPI), TWOPI - 1.0);
        assert_eq!(py_mod(7.0, TWOPI), 7.0 - TWOPI);
        assert!(py_mod(0.0, 1.0).is_sign_positive());
        assert!(py_mod(-0.0, 1.0).is_sign_positive());
    }

    #[test]
    fn python_pow_errors() {
        assert_eq!(
            py_pow(0.0, -1.0).unwrap_err().kind,
            RandErrorKind::ZeroDivisionError
        );
        assert_eq!(
            py_pow(-0.0, -0.5).unwrap_err().kind,
            RandErrorKind::ZeroDivisionError
        );
        assert_eq!(
            py_pow(1e300, 2.0).unwrap_err().kind,
            RandErrorKind::OverflowError
        );
        assert_eq!(py_pow(4.0, 0.5), Ok(2.0));
    }
}
