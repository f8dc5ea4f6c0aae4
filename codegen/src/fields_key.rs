//! A 128-bit key of a sequence of fields, each hashed with its length so
//! that no two sequences hash alike by running into each other: what the
//! docs' listing and bytes, and a run's inputs, are known by.

/// Fields hashed in order ([`FieldsKey::field`]), then [`FieldsKey::finish`].
#[derive(Clone, Default)]
pub(crate) struct FieldsKey(xxhash_rust::xxh3::Xxh3);

impl FieldsKey {
    pub(crate) fn field(&mut self, bytes: &[u8]) {
        self.0.update(&(bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
    }

    pub(crate) fn finish(&self) -> u128 {
        self.0.digest128()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_do_not_run_into_each_other() {
        let key = |fields: &[&[u8]]| {
            let mut key = FieldsKey::default();
            fields.iter().for_each(|f| key.field(f));
            key.finish()
        };
        assert_eq!(key(&[b"ab", b"c"]), key(&[b"ab", b"c"]));
        assert_ne!(key(&[b"ab", b"c"]), key(&[b"a", b"bc"]));
        assert_ne!(key(&[b"ab"]), key(&[b"ab", b""]));
    }
}
