//! The collector demo: a cache that keeps replacing its entries, with short-lived
//! temporaries, on the safe API. It prints a checksum computed twice (from the live
//! structure and from a plain Rust mirror of it) and the collector's statistics.
//!
//! The table is a 40,000-slot reference array: a large object, old after its first
//! minor collection, so every store into it runs the write barrier. Each entry is a
//! record holding a key, a byte-array payload and a link to the entry it replaced (so
//! chains of up to four records stay alive).

use std::error::Error;
use std::mem::offset_of;
use thicket_gc::{Heap, TypeDesc};

#[repr(C)]
struct Record {
    header: u64,
    key: i64,
    payload: usize,
    prev: usize,
}

const SLOTS: usize = 40_000;
const CHAIN: usize = 4;

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

/// Runs `iterations` cache replacements and prints the result and the statistics.
pub fn run(iterations: u64) -> Result<(), Box<dyn Error>> {
    let mut heap = Heap::from_env()?;
    let record = heap.register(TypeDesc::fixed(
        "record",
        size_of::<Record>(),
        &[offset_of!(Record, payload), offset_of!(Record, prev)],
    ))?;
    let bytes = heap.register(TypeDesc::byte_array("bytes"))?;
    let table_ty = heap.register(TypeDesc::ref_array("table"))?;
    let key = heap.data_field::<i64>(record, offset_of!(Record, key))?;
    let payload = heap.ref_field(record, offset_of!(Record, payload))?;
    let prev = heap.ref_field(record, offset_of!(Record, prev))?;

    // The mirror: for each slot, the keys of its chain, newest first.
    let mut mirror: Vec<Vec<i64>> = vec![Vec::new(); SLOTS];
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let started = std::time::Instant::now();
    let result: Result<(u64, u64), Box<dyn Error>> = heap.scope(|s| {
        let table = s.alloc_array(table_ty, SLOTS)?;
        for i in 0..iterations {
            let r = rng.next();
            let slot = (r % SLOTS as u64) as usize;
            let len = 16 + (r >> 32) as usize % 200;
            s.scope(|s| -> Result<(), Box<dyn Error>> {
                // A temporary that dies at once.
                let _garbage = s.alloc_array(bytes, len / 2)?;
                let p = s.alloc_array(bytes, len)?;
                s.bytes_mut(p).fill(i as u8);
                let rec = s.alloc(record)?;
                s.write(rec, key, i as i64);
                s.set(rec, payload, Some(p));
                // Link to the current occupant, cutting the chain at CHAIN records.
                let old = s.item(table, slot);
                s.set(rec, prev, Some(old));
                let cur = s.dup(rec);
                for _ in 1..CHAIN {
                    let next = s.get(cur, prev);
                    if s.is_null(next) {
                        break;
                    }
                    s.set_handle(cur, Some(next));
                }
                s.set(cur, prev, None);
                s.set_item(table, slot, Some(rec));
                Ok(())
            })?;
            let chain = &mut mirror[slot];
            chain.insert(0, i as i64);
            chain.truncate(CHAIN);
        }
        // Checksum from the heap, verifying payloads on the way.
        let t = s.get_obj(table);
        let (mut sum, mut count) = (0u64, 0u64);
        for (slot, chain) in mirror.iter().enumerate() {
            let mut cur = t.item(slot);
            let mut expect = chain.iter();
            while let Some(rec) = cur {
                let k = rec.read(key);
                if expect.next() != Some(&k) {
                    return Err(
                        format!("slot {slot}: record {k} is not where the mirror says").into(),
                    );
                }
                let p = rec.get(payload).ok_or("a record lost its payload")?;
                if p.bytes().iter().any(|&b| b != k as u8) {
                    return Err(format!("record {k}: payload corrupted").into());
                }
                sum = sum.wrapping_add(k as u64 * 31 + p.len() as u64);
                count += 1;
                cur = rec.get(prev);
            }
            if expect.next().is_some() {
                return Err(format!("slot {slot}: chain shorter than the mirror").into());
            }
        }
        Ok((sum, count))
    });
    let (sum, count) = result?;
    let elapsed = started.elapsed();
    println!(
        "thicket demo: {iterations} replacements in {:.2} s",
        elapsed.as_secs_f64()
    );
    println!("live records: {count}, checksum: {sum:#x} (checked against a plain mirror)");
    println!("--- gc statistics ---");
    println!("{}", heap.stats());
    Ok(())
}
