//! Walking `ID | Len | data` sequences (802.11 elements and subelements).

use crate::error::ElementError;

/// Iterator over `ID | Len | data` items of a buffer. Yields `Err` once on a length that runs
/// past the end, then stops. Never panics.
#[derive(Debug, Clone)]
pub struct Items<'a> {
    buf: &'a [u8],
    pos: usize,
    failed: bool,
}

impl<'a> Items<'a> {
    /// Iterates over the items of `buf`.
    pub fn new(buf: &'a [u8]) -> Items<'a> {
        Items {
            buf,
            pos: 0,
            failed: false,
        }
    }

    /// Checks that the whole buffer is well framed.
    pub fn check(buf: &[u8]) -> Result<(), ElementError> {
        for item in Items::new(buf) {
            item?;
        }
        Ok(())
    }
}

impl<'a> Iterator for Items<'a> {
    /// `(id, data)`.
    type Item = Result<(u8, &'a [u8]), ElementError>;
    fn next(&mut self) -> Option<Self::Item> {
        if self.failed || self.pos >= self.buf.len() {
            return None;
        }
        let at = self.pos;
        let id = self.buf[at];
        let Some(&len) = self.buf.get(at + 1) else {
            self.failed = true;
            return Some(Err(ElementError::SubelementOverrun { id, at }));
        };
        let end = at + 2 + usize::from(len);
        match self.buf.get(at + 2..end) {
            Some(data) => {
                self.pos = end;
                Some(Ok((id, data)))
            }
            None => {
                self.failed = true;
                Some(Err(ElementError::SubelementOverrun { id, at }))
            }
        }
    }
}

/// Appends `id | len | data`; fails if `data` exceeds 255 bytes.
pub(crate) fn put(out: &mut Vec<u8>, id: u8, data: &[u8]) -> Result<(), ElementError> {
    let len = u8::try_from(data.len()).map_err(|_| ElementError::TooLong(data.len()))?;
    out.push(id);
    out.push(len);
    out.extend_from_slice(data);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_and_stops_on_overrun() {
        let b = [0, 2, 0xaa, 0xbb, 3, 0, 7, 5, 1];
        let v: Vec<_> = Items::new(&b).collect();
        assert_eq!(v[0], Ok((0, &[0xaa, 0xbb][..])));
        assert_eq!(v[1], Ok((3, &[][..])));
        assert_eq!(v[2], Err(ElementError::SubelementOverrun { id: 7, at: 6 }));
        assert_eq!(v.len(), 3);
        assert_eq!(Items::new(&[9]).collect::<Vec<_>>().len(), 1);
        assert!(Items::check(&[]).is_ok());
        let mut o = Vec::new();
        assert_eq!(put(&mut o, 1, &[0; 256]), Err(ElementError::TooLong(256)));
        put(&mut o, 1, &[2]).unwrap();
        assert_eq!(o, [1, 1, 2]);
    }
}
