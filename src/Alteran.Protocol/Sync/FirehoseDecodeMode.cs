namespace Alteran.Protocol.Sync;

/// <summary>How strictly <see cref="FirehoseFrame.Decode"/> reads.</summary>
public enum FirehoseDecodeMode
{
    /// <summary>
    /// Frames exactly as this server emits them (sync v1.1): unknown ops, types and fields are errors, header
    /// and lexicon limits apply, DIDs / TIDs / datetimes / handles / record paths must be syntactically valid,
    /// <c>prev</c> is required on update/delete ops and forbidden on creates, and a
    /// <c>#commit</c>/<c>#sync</c> CAR must name the commit as its first root.
    /// </summary>
    Strict,

    /// <summary>
    /// What the event-stream spec asks of a client: unknown <c>op</c>/<c>t</c> give <see cref="FirehoseMessageKind.Unknown"/>,
    /// unknown fields are skipped, <c>prev</c> may be missing (sync v1.0 hosts), size limits are not checked
    /// beyond <see cref="FirehoseLimits.MaxFrameBytes"/>. Invalid DAG-CBOR, missing or mistyped fields are still errors.
    /// </summary>
    Lenient,
}
