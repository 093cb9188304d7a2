//! Files that appear under their final name only when complete: written to a
//! hidden temporary name in the same folder, then renamed.

use super::OutputError;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// A file being written; it is removed unless [`AtomicFile::commit`] is called.
pub struct AtomicFile {
    dest: PathBuf,
    tmp: PathBuf,
    writer: Option<BufWriter<File>>,
}

impl AtomicFile {
    /// Start writing `dir/name`.
    pub fn create(dir: &Path, name: &str) -> Result<Self, OutputError> {
        let dest = dir.join(name);
        let tmp = dir.join(format!(".{name}.partial"));
        let file = File::create(&tmp).map_err(|e| OutputError::io(&tmp, e))?;
        Ok(AtomicFile { dest, tmp, writer: Some(BufWriter::with_capacity(1 << 20, file)) })
    }

    /// The final path.
    pub fn path(&self) -> &Path {
        &self.dest
    }

    /// Flush, sync and move the file to its final name. If any step fails
    /// (e.g. a full disk), the partial file is removed.
    pub fn commit(mut self) -> Result<PathBuf, OutputError> {
        let writer = self.writer.take().expect("committed once");
        let done = writer
            .into_inner()
            .map_err(|e| OutputError::io(&self.tmp, e.into_error()))
            .and_then(|file| file.sync_all().map_err(|e| OutputError::io(&self.tmp, e)))
            .and_then(|()| std::fs::rename(&self.tmp, &self.dest).map_err(|e| OutputError::io(&self.dest, e)));
        if done.is_err() {
            let _ = std::fs::remove_file(&self.tmp);
        }
        done.map(|()| self.dest.clone())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.writer.as_mut().expect("not committed").write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.writer.as_mut().expect("not committed").flush()
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.writer.take().is_some() {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// Write `bytes` to `dir/name` atomically.
pub fn write_file(dir: &Path, name: &str, bytes: &[u8]) -> Result<PathBuf, OutputError> {
    let mut f = AtomicFile::create(dir, name)?;
    f.write_all(bytes).map_err(|e| OutputError::io(f.path(), e))?;
    f.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_uncommitted_file_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        {
            let mut f = AtomicFile::create(dir.path(), "a.csv").unwrap();
            f.write_all(b"x").unwrap();
        }
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        write_file(dir.path(), "b.csv", b"y").unwrap();
        assert_eq!(std::fs::read_to_string(dir.path().join("b.csv")).unwrap(), "y");
    }
}
