using Alteran.Storage.Rocks;

namespace Alteran.Storage.Log;

/// <summary>An event with no repo change (<c>#identity</c>, <c>#account</c>): only a seq and a log entry.</summary>
internal sealed class EventRequest(long account, IEventEncoder encoder, EventBuffer? output) : WriteRequest
{
    public override void Stage(WriteContext context)
    {
        long seq = context.AppendEvent(account, encoder, output);
        Result = new WriteResult(seq, account);
    }
}
