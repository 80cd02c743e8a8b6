namespace Alteran.Storage.Rocks;

/// <summary>
/// One queued write. <see cref="Stage"/> runs on the writer thread and adds this write's puts/deletes to the shared
/// group batch. It must do every check that can fail before changing the <see cref="WriteContext"/> overlays, so
/// that a throw can be undone by rolling the batch back to the save point taken before the call.
/// </summary>
internal abstract class WriteRequest
{
    private readonly TaskCompletionSource<WriteResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<WriteResult> Task => _completion.Task;

    /// <summary>Set by <see cref="Stage"/>: what to report once the batch is durable.</summary>
    public WriteResult Result;

    public abstract void Stage(WriteContext context);

    /// <summary>Runs on the writer thread after the batch is durable and before the next group is staged
    /// (file deletions that must be ordered with later writes).</summary>
    public virtual void AfterDurable() { }

    public void Complete() => _completion.TrySetResult(Result);

    public void Fail(Exception error) => _completion.TrySetException(error);
}
