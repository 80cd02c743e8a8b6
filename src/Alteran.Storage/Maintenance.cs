using Alteran.Storage.Rocks;

namespace Alteran.Storage;

public sealed partial class AlteranStore
{
    /// <summary>
    /// Writes a consistent online backup to <paramref name="directory"/> (must not exist): a RocksDB checkpoint
    /// (hard links to the immutable SST files, flushed memtables) in <c>db/</c>, then hard links (or copies) of the
    /// blob files in <c>blobs/</c>. The result is a store directory: <see cref="Open"/> it to restore.
    /// Blob files are taken after the checkpoint, so every blob row in the backup has its file unless the collector
    /// deleted it in between (only possible for blobs no record references).
    /// </summary>
    public void CreateCheckpoint(string directory)
    {
        if (Directory.Exists(directory) || File.Exists(directory))
            throw new StorageException(StorageError.InvalidArgument, $"Checkpoint target {directory} already exists.");
        Directory.CreateDirectory(directory);
        _db.CreateCheckpoint(Path.Combine(directory, "db"));
        string blobTarget = Path.Combine(directory, "blobs");
        Directory.CreateDirectory(Path.Combine(blobTarget, "tmp"));
        foreach (string accountDir in Directory.EnumerateDirectories(_blobRoot))
        {
            string name = Path.GetFileName(accountDir);
            if (name == "tmp") continue;
            string targetDir = Path.Combine(blobTarget, name);
            Directory.CreateDirectory(targetDir);
            foreach (string file in Directory.EnumerateFiles(accountDir))
            {
                string target = Path.Combine(targetDir, Path.GetFileName(file));
                if (Posix.Link(file, target))
                    continue;
                try
                {
                    File.Copy(file, target); // other file system, or links unsupported
                }
                catch (FileNotFoundException)
                {
                    // collected meanwhile (it had no references)
                }
            }
        }
    }

    /// <summary>A RocksDB property of a column family (e.g. "rocksdb.estimate-num-keys"), for diagnostics.</summary>
    internal string? GetProperty(Rocks.ColumnFamily cf, string name) => _db.GetProperty(cf, name);
}
