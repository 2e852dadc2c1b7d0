//! Saving and loading the noise images as 8-bit greyscale PNG files.

use std::fs::{self, File};
use std::io::{self, BufReader, Write};
use std::path::{Path, PathBuf};

use crate::image_name::image_index;

/// Width and height of one image in pixels (one byte per pixel).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ImageSize {
    pub width: u32,
    pub height: u32,
}

impl ImageSize {
    pub const fn new(width: u32, height: u32) -> Self {
        Self { width, height }
    }

    /// Bytes of one image's pixels.
    pub const fn bytes(self) -> usize {
        self.width as usize * self.height as usize
    }
}

impl std::fmt::Display for ImageSize {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}x{}", self.width, self.height)
    }
}

/// What can go wrong with one image file; every variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    #[error("cannot encode {}", path.display())]
    Encode {
        path: PathBuf,
        source: png::EncodingError,
    },
    #[error("cannot write {}", path.display())]
    Write { path: PathBuf, source: io::Error },
    #[error("cannot open {}", path.display())]
    Open { path: PathBuf, source: io::Error },
    #[error("{} is not a readable PNG file", path.display())]
    Decode {
        path: PathBuf,
        source: png::DecodingError,
    },
    #[error("{} is a {found} {kind} image, expected a {expected} 8-bit greyscale image", path.display())]
    WrongShape {
        path: PathBuf,
        found: ImageSize,
        kind: String,
        expected: ImageSize,
    },
}

impl ImageError {
    /// The file the error is about.
    pub fn path(&self) -> &Path {
        match self {
            Self::Encode { path, .. }
            | Self::Write { path, .. }
            | Self::Open { path, .. }
            | Self::Decode { path, .. }
            | Self::WrongShape { path, .. } => path,
        }
    }
}

/// How hard the PNG encoder works to make the file small. Noise does not compress, so on the
/// workbook's images more effort buys almost nothing but costs most of the time; `fast` is the
/// default, as it is in OpenCV's `cv2.imwrite`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Compression {
    /// The encoder's fastest level: one quick pass, no filter search
    #[default]
    Fast,
    /// The `png` crate's own default: a filter chosen per row, a balanced deflate
    Balanced,
    /// The slowest, smallest files
    Best,
}

impl Compression {
    fn to_png(self) -> png::Compression {
        match self {
            Self::Fast => png::Compression::Fastest,
            Self::Balanced => png::Compression::Balanced,
            Self::Best => png::Compression::High,
        }
    }
}

impl std::fmt::Display for Compression {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(match self {
            Self::Fast => "fast",
            Self::Balanced => "balanced",
            Self::Best => "best",
        })
    }
}

/// Encode `pixels` as an 8-bit greyscale PNG file in memory, at the default [`Compression`].
pub fn encode_png(pixels: &[u8], size: ImageSize) -> Result<Vec<u8>, png::EncodingError> {
    encode_png_with(pixels, size, Compression::default())
}

/// Encode `pixels` as an 8-bit greyscale PNG file in memory at `compression`.
pub fn encode_png_with(
    pixels: &[u8],
    size: ImageSize,
    compression: Compression,
) -> Result<Vec<u8>, png::EncodingError> {
    // Room for the whole file up front: noise does not shrink, so the file is the pixels, one
    // filter byte per row and a little framing. A buffer that grows is reallocated several
    // times per image, and every thread then queues on the allocator's lock.
    let mut bytes = Vec::with_capacity(encoded_capacity(size));
    let mut encoder = png::Encoder::new(&mut bytes, size.width, size.height);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(compression.to_png());
    let mut writer = encoder.write_header()?;
    writer.write_image_data(pixels)?;
    writer.finish()?;
    Ok(bytes)
}

/// Bytes that hold any encoding of an image of `size`: its pixels and filter bytes, stored
/// uncompressed at worst (5 bytes per 64 KiB deflate block), plus the PNG chunks around them.
pub fn encoded_capacity(size: ImageSize) -> usize {
    let raw = size.bytes() + size.height as usize;
    raw + raw / 8 + 1024
}

/// Encode `pixels` as a PNG file at `path`, written whole or not at all, at the default
/// [`Compression`].
pub fn save_png(path: &Path, pixels: &[u8], size: ImageSize) -> Result<(), ImageError> {
    save_png_with(path, pixels, size, Compression::default())
}

/// Encode `pixels` as a PNG file at `path` at `compression`, written whole or not at all.
pub fn save_png_with(
    path: &Path,
    pixels: &[u8],
    size: ImageSize,
    compression: Compression,
) -> Result<(), ImageError> {
    let bytes =
        encode_png_with(pixels, size, compression).map_err(|source| ImageError::Encode {
            path: path.to_owned(),
            source,
        })?;
    write_whole(path, &bytes).map_err(|source| ImageError::Write {
        path: path.to_owned(),
        source,
    })
}

/// Write `bytes` to a hidden temporary file beside `path`, then rename it into place: a reader
/// sees the whole file or none, and a failed write leaves nothing behind. `path` must be new or
/// a regular file ([`check_output`]), and the temporary file is created afresh, so nothing is
/// ever written through a symbolic link.
pub fn write_whole(path: &Path, bytes: &[u8]) -> io::Result<()> {
    check_output(path)?;
    let temp = temp_path(path);
    // A stale temporary file, or a link planted in its place, goes first; `create_new` then
    // refuses to follow anything that reappears there. The one link kept is one to /dev/full,
    // where every write fails: demo 10 plants it to give one item a full disk.
    let full_disk = fs::read_link(&temp).is_ok_and(|target| target == Path::new(FULL_DEVICE));
    if !full_disk {
        match fs::remove_file(&temp) {
            Err(err) if err.kind() != io::ErrorKind::NotFound => return Err(err),
            _ => {}
        }
    }
    // The device itself is opened, not the link: a link swapped meanwhile is never followed.
    let open = if full_disk {
        Path::new(FULL_DEVICE)
    } else {
        &temp
    };
    let result = File::options()
        .write(true)
        .create_new(!full_disk)
        .open(open)
        .and_then(|mut file| file.write_all(bytes))
        .and_then(|()| fs::rename(&temp, path));
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

/// The device that fails every write with "no space left on device", as a full disk does.
pub const FULL_DEVICE: &str = "/dev/full";

/// Whether an output may be written at `path`: a new name or an existing regular file. Renaming
/// over a symbolic link, a device, a FIFO or a folder would replace it, so those are refused,
/// with an error that says which. Every writer checks its outputs here, before any work where it
/// can, and [`write_whole`] checks again.
pub fn check_output(path: &Path) -> io::Result<()> {
    let refuse = |what: &str| {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "{} is {what}, not a regular file; outputs never replace one",
                path.display()
            ),
        ))
    };
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => refuse("a symbolic link"),
        Ok(meta) if meta.is_dir() => refuse("a folder"),
        Ok(meta) if !meta.is_file() => refuse("a device, FIFO or socket"),
        Err(err) if err.kind() != io::ErrorKind::NotFound => Err(io::Error::new(
            err.kind(),
            format!("cannot check {}: {err}", path.display()),
        )),
        _ => Ok(()),
    }
}

/// The hidden temporary file that [`write_whole`] fills before renaming it to `path`: a process
/// killed while writing leaves it behind, so whoever killed it can remove it.
pub fn temp_path(path: &Path) -> PathBuf {
    let mut temp_name = std::ffi::OsString::from(".");
    temp_name.push(path.file_name().unwrap_or_default());
    temp_name.push(".tmp");
    path.with_file_name(temp_name)
}

/// Decode the PNG file at `path` into `slot`, which must be exactly one image of `size`.
pub fn read_png_into(path: &Path, size: ImageSize, slot: &mut [u8]) -> Result<(), ImageError> {
    assert_eq!(slot.len(), size.bytes(), "slot must hold one image");
    // On --timeline's chart, a noise image read back is the item of its index.
    let _span = crate::timeline::is_on()
        .then(|| image_index(path).map(crate::timeline::item))
        .flatten();
    // A FIFO or a device would block the open or never end: only a regular file is read.
    let file = fs::metadata(path)
        .and_then(|meta| match meta.is_file() {
            true => File::open(path),
            false => Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "not a regular file",
            )),
        })
        .map_err(|source| ImageError::Open {
            path: path.to_owned(),
            source,
        })?;
    let decode_error = |source| ImageError::Decode {
        path: path.to_owned(),
        source,
    };
    let mut reader = png::Decoder::new(BufReader::new(file))
        .read_info()
        .map_err(decode_error)?;
    let info = reader.info();
    let found = ImageSize::new(info.width, info.height);
    let format = (info.color_type, info.bit_depth);
    if found != size || format != (png::ColorType::Grayscale, png::BitDepth::Eight) {
        return Err(ImageError::WrongShape {
            path: path.to_owned(),
            found,
            kind: format!("{:?} {}-bit", format.0, format.1 as u8),
            expected: size,
        });
    }
    reader.next_frame(slot).map_err(decode_error)?;
    Ok(())
}

/// True when the files in `a` and `b` have the same bytes, pair by pair, and there are as many.
pub fn same_files(a: &[PathBuf], b: &[PathBuf]) -> io::Result<bool> {
    if a.len() != b.len() {
        return Ok(false);
    }
    for (x, y) in a.iter().zip(b) {
        if fs::read(x)? != fs::read(y)? {
            return Ok(false);
        }
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use testkit::ScratchDir;

    /// Pixels that differ along a row and between rows, so that a swap would show.
    fn pattern(size: ImageSize) -> Vec<u8> {
        (0..size.bytes()).map(|i| (i * 7 % 251) as u8).collect()
    }

    #[test]
    fn saved_image_reads_back_identical() {
        let dir = ScratchDir::new("roundtrip");
        let size = ImageSize::new(31, 17);
        let pixels = pattern(size);
        let path = dir.join("a.png");
        save_png(&path, &pixels, size).unwrap();
        let mut back = vec![0; size.bytes()];
        read_png_into(&path, size, &mut back).unwrap();
        assert_eq!(back, pixels);
    }

    #[test]
    fn every_compression_reads_back_identical_and_fits_its_buffer() {
        let dir = ScratchDir::new("levels");
        for size in [
            ImageSize::new(100, 100),
            ImageSize::new(300, 7),
            ImageSize::new(1, 1),
        ] {
            let pixels = pattern(size);
            for level in [Compression::Fast, Compression::Balanced, Compression::Best] {
                let bytes = encode_png_with(&pixels, size, level).unwrap();
                assert!(bytes.len() <= encoded_capacity(size), "{size} {level}");
                let path = dir.join("a.png");
                write_whole(&path, &bytes).unwrap();
                let mut back = vec![0; size.bytes()];
                read_png_into(&path, size, &mut back).unwrap();
                assert_eq!(back, pixels, "{size} {level}");
            }
        }
    }

    #[test]
    fn wrong_size_and_garbage_are_named_errors() {
        let dir = ScratchDir::new("errors");
        let size = ImageSize::new(8, 8);
        let path = dir.join("a.png");
        save_png(&path, &pattern(size), size).unwrap();
        let mut slot = vec![0; 16];
        let err = read_png_into(&path, ImageSize::new(4, 4), &mut slot).unwrap_err();
        assert!(matches!(err, ImageError::WrongShape { .. }), "{err}");
        assert_eq!(err.path(), path);

        fs::write(&path, b"not a png").unwrap();
        let err = read_png_into(&path, ImageSize::new(4, 4), &mut slot).unwrap_err();
        assert!(matches!(err, ImageError::Decode { .. }), "{err}");
    }

    #[test]
    fn links_fifos_and_stale_temporaries_are_never_written_through() {
        use std::os::unix::fs::symlink;
        let dir = ScratchDir::new("links");
        let outside = dir.join("outside.txt");
        fs::write(&outside, b"keep").unwrap();
        let link = dir.join("link.png");
        symlink(&outside, &link).unwrap();
        let err = write_whole(&link, b"data").unwrap_err();
        assert!(err.to_string().contains("symbolic link"), "{err}");
        let fifo = dir.join("fifo.png");
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        let err = write_whole(&fifo, b"data").unwrap_err();
        assert!(err.to_string().contains("FIFO"), "{err}");
        // A link planted where the temporary file goes is removed, not followed.
        let target = dir.join("new.png");
        symlink(&outside, temp_path(&target)).unwrap();
        write_whole(&target, b"data").unwrap();
        assert_eq!(fs::read(&outside).unwrap(), b"keep");
        assert_eq!(fs::read(&target).unwrap(), b"data");
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
    }

    #[test]
    fn failed_write_leaves_no_file() {
        let dir = ScratchDir::new("failed");
        let target = dir.join("taken.png");
        fs::create_dir(&target).unwrap(); // a directory where the file should go
        let err = write_whole(&target, b"data").unwrap_err();
        assert_ne!(err.kind(), io::ErrorKind::NotFound);
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["taken.png"]);
    }
}
