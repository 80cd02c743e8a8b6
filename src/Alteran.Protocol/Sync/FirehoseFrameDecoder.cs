using System.Diagnostics.CodeAnalysis;
using System.Text;
using Alteran.Protocol.Car;
using Alteran.Protocol.Cbor;
using Alteran.Protocol.Syntax;

namespace Alteran.Protocol.Sync;

/// <summary>
/// Reads a frame: header map, body map, nothing after. All DAG-CBOR rules (canonical keys, no duplicates,
/// shortest forms, depth and item limits) come from <see cref="DagCborReader"/>; this layer adds the frame and
/// lexicon rules and turns every failure into a <see cref="FirehoseFrameException"/>.
/// </summary>
internal static class FirehoseFrameDecoder
{
    // A frame's only large value is blocks; let the reader accept any string a legal frame can hold.
    private static readonly DagCborLimits Limits = new() { MaxStringLength = FirehoseLimits.MaxFrameBytes };

    public static FirehoseFrame Decode(ReadOnlyMemory<byte> frame, FirehoseDecodeMode mode)
    {
        if (frame.Length > FirehoseLimits.MaxFrameBytes)
            FirehoseFrameException.Throw(FirehoseFrameError.FrameTooLarge, 0, $"{frame.Length} bytes, limit {FirehoseLimits.MaxFrameBytes}");
        if (frame.IsEmpty)
            FirehoseFrameException.Throw(FirehoseFrameError.Truncated, 0, "empty frame");
        var reader = new FrameReader(frame, mode == FirehoseDecodeMode.Strict);
        try
        {
            return reader.ReadFrame();
        }
        catch (DagCborException e)
        {
            FirehoseFrameError error = e.Error switch
            {
                DagCborError.Truncated => FirehoseFrameError.Truncated,
                DagCborError.TrailingBytes => FirehoseFrameError.TrailingBytes,
                _ => FirehoseFrameError.InvalidDagCbor,
            };
            throw new FirehoseFrameException(error, e.Offset, e.Error.ToString(), e);
        }
    }

    private ref struct FrameReader
    {
        private readonly ReadOnlyMemory<byte> _frame;
        private readonly bool _strict;
        private DagCborReader _r;

        public FrameReader(ReadOnlyMemory<byte> frame, bool strict)
        {
            _frame = frame;
            _strict = strict;
            _r = new DagCborReader(frame.Span, Limits);
        }

        public FirehoseFrame ReadFrame()
        {
            (long op, string? type) = ReadHeader();
            if (_r.IsAtEnd)
                Fail(FirehoseFrameError.MissingBody, _r.BytesConsumed, "nothing after the header");
            int bodyStart = _r.BytesConsumed;
            if (_r.PeekKind() != CborKind.Map)
                Fail(FirehoseFrameError.BodyNotMap, bodyStart, "the body must be a map");

            FirehoseMessageKind kind;
            object? message;
            if (op == (long)FirehoseFrameOp.Message)
            {
                (kind, message) = type switch
                {
                    "#commit" => (FirehoseMessageKind.Commit, (object?)ReadCommit()),
                    "#sync" => (FirehoseMessageKind.Sync, ReadSync()),
                    "#identity" => (FirehoseMessageKind.Identity, ReadIdentity()),
                    "#account" => (FirehoseMessageKind.Account, ReadAccount()),
                    "#info" => (FirehoseMessageKind.Info, ReadInfo()),
                    _ => (FirehoseMessageKind.Unknown, null),
                };
                if (kind == FirehoseMessageKind.Unknown)
                {
                    if (_strict)
                        Fail(FirehoseFrameError.UnknownType, 0, $"t = '{type}'");
                    _r.SkipValue();
                }
            }
            else if (op == (long)FirehoseFrameOp.Error)
            {
                kind = FirehoseMessageKind.Error;
                message = ReadError();
            }
            else
            {
                if (_strict)
                    Fail(FirehoseFrameError.UnknownOp, 0, $"op = {op}");
                kind = FirehoseMessageKind.Unknown;
                message = null;
                _r.SkipValue();
            }
            int bodyEnd = _r.BytesConsumed;
            _r.EnsureEnd();
            return new FirehoseFrame(op, type, kind, _frame[bodyStart..bodyEnd], message);
        }

        private (long Op, string? Type) ReadHeader()
        {
            if (_r.PeekKind() != CborKind.Map)
                Fail(FirehoseFrameError.InvalidHeader, 0, "the header must be a map");
            int n = _r.ReadMapHeader();
            long? op = null;
            string? type = null;
            for (int i = 0; i < n; i++)
            {
                int keyAt = _r.BytesConsumed;
                ReadOnlySpan<byte> key = _r.ReadMapKey();
                int valueAt = _r.BytesConsumed;
                if (key.SequenceEqual("t"u8))
                {
                    if (_r.PeekKind() != CborKind.Text)
                        Fail(FirehoseFrameError.InvalidHeader, valueAt, "t must be a string");
                    type = _r.ReadTextString();
                }
                else if (key.SequenceEqual("op"u8))
                {
                    if (_r.PeekKind() != CborKind.Integer)
                        Fail(FirehoseFrameError.InvalidHeader, valueAt, "op must be an integer");
                    op = _r.ReadInt();
                }
                else if (_strict)
                {
                    Fail(FirehoseFrameError.InvalidHeader, keyAt, $"unknown header field '{Encoding.UTF8.GetString(key)}'");
                }
                else
                {
                    _r.SkipValue();
                }
            }
            if (op is null)
                Fail(FirehoseFrameError.InvalidHeader, 0, "the header has no op");
            if (op == (long)FirehoseFrameOp.Message && type is null)
                Fail(FirehoseFrameError.InvalidHeader, 0, "a message header (op 1) needs t");
            if (op == (long)FirehoseFrameOp.Error && type is not null && _strict)
                Fail(FirehoseFrameError.InvalidHeader, 0, "an error header (op -1) must not have t");
            return (op.Value, type);
        }

        // ---- message bodies --------------------------------------------------------------------------

        private CommitMessage ReadCommit()
        {
            int bodyAt = _r.BytesConsumed;
            int n = _r.ReadMapHeader();
            int seen = 0;
            long seq = 0;
            bool rebase = false, tooBig = false;
            string repo = "", rev = "", time = "";
            string? since = null;
            Cid commit = default, prevData = default;
            ReadOnlyMemory<byte> blocks = default;
            RepoOpRef[] ops = [];
            Cid[] blobs = [];
            for (int i = 0; i < n; i++)
            {
                int keyAt = _r.BytesConsumed;
                ReadOnlySpan<byte> key = _r.ReadMapKey();
                if (key.SequenceEqual("ops"u8)) { ops = ReadOps(); seen |= 1 << 0; }
                else if (key.SequenceEqual("rev"u8)) { rev = ReadString("rev", TextFormat.Tid); seen |= 1 << 1; }
                else if (key.SequenceEqual("seq"u8)) { seq = ReadSeq(); seen |= 1 << 2; }
                else if (key.SequenceEqual("repo"u8)) { repo = ReadString("repo", TextFormat.Did); seen |= 1 << 3; }
                else if (key.SequenceEqual("time"u8)) { time = ReadString("time", TextFormat.Datetime); seen |= 1 << 4; }
                else if (key.SequenceEqual("blobs"u8)) { blobs = ReadLinks("blobs"); seen |= 1 << 5; }
                else if (key.SequenceEqual("since"u8)) { since = ReadNullableString("since", TextFormat.Tid); seen |= 1 << 6; }
                else if (key.SequenceEqual("blocks"u8)) { blocks = ReadBytes("blocks", _strict ? FirehoseLimits.MaxCommitBlocksBytes : int.MaxValue); seen |= 1 << 7; }
                else if (key.SequenceEqual("commit"u8)) { commit = ReadLink("commit"); seen |= 1 << 8; }
                else if (key.SequenceEqual("rebase"u8)) { rebase = ReadBool("rebase"); seen |= 1 << 9; }
                else if (key.SequenceEqual("tooBig"u8)) { tooBig = ReadBool("tooBig"); seen |= 1 << 10; }
                else if (key.SequenceEqual("prevData"u8)) { prevData = ReadLink("prevData"); }
                else SkipUnknown(key, keyAt);
            }
            Require(seen, ["ops", "rev", "seq", "repo", "time", "blobs", "since", "blocks", "commit", "rebase", "tooBig"], bodyAt);
            if (_strict && !tooBig)
                CheckCarRoot(blocks, commit, bodyAt);
            return new CommitMessage
            {
                Seq = seq, Rebase = rebase, TooBig = tooBig, Repo = repo, Commit = commit, Rev = rev, Since = since,
                Blocks = blocks, Ops = ops, Blobs = blobs, PrevData = prevData, Time = time,
            };
        }

        private RepoOpRef[] ReadOps()
        {
            int at = _r.BytesConsumed;
            if (_r.PeekKind() != CborKind.Array)
                Fail(FirehoseFrameError.WrongFieldType, at, "ops must be an array");
            int count = _r.ReadArrayHeader(); // the reader has checked count against the bytes left
            if (_strict && count > FirehoseLimits.MaxCommitOps)
                Fail(FirehoseFrameError.LimitExceeded, at, $"{count} ops, limit {FirehoseLimits.MaxCommitOps}");
            var ops = count == 0 ? [] : new RepoOpRef[count];
            for (int i = 0; i < count; i++)
                ops[i] = ReadOp();
            return ops;
        }

        private RepoOpRef ReadOp()
        {
            int opAt = _r.BytesConsumed;
            if (_r.PeekKind() != CborKind.Map)
                Fail(FirehoseFrameError.WrongFieldType, opAt, "an op must be a map");
            int n = _r.ReadMapHeader();
            int seen = 0;
            Cid cid = default, prev = default;
            bool hasPrev = false;
            string path = "";
            RepoOpAction action = default;
            for (int i = 0; i < n; i++)
            {
                int keyAt = _r.BytesConsumed;
                ReadOnlySpan<byte> key = _r.ReadMapKey();
                if (key.SequenceEqual("cid"u8)) { cid = ReadNullableLink("cid"); seen |= 1 << 0; }
                else if (key.SequenceEqual("path"u8)) { path = ReadString("path", TextFormat.RepoPath); seen |= 1 << 1; }
                else if (key.SequenceEqual("prev"u8)) { prev = ReadLink("prev"); hasPrev = true; }
                else if (key.SequenceEqual("action"u8)) { action = ReadAction(); seen |= 1 << 2; }
                else SkipUnknown(key, keyAt);
            }
            Require(seen, ["cid", "path", "action"], opAt);
            if ((action == RepoOpAction.Delete) != cid.IsEmpty)
                Fail(FirehoseFrameError.InvalidValue, opAt, $"{action} op on '{path}': cid must be {(action == RepoOpAction.Delete ? "null" : "a link")}");
            if (_strict && hasPrev == (action == RepoOpAction.Create))
                Fail(FirehoseFrameError.InvalidValue, opAt, $"{action} op on '{path}': prev must be {(hasPrev ? "absent" : "present")}");
            return new RepoOpRef(action, path, cid, prev);
        }

        private RepoOpAction ReadAction()
        {
            int at = _r.BytesConsumed;
            if (_r.PeekKind() != CborKind.Text)
                Fail(FirehoseFrameError.WrongFieldType, at, "action must be a string");
            ReadOnlySpan<byte> s = _r.ReadText();
            if (s.SequenceEqual("create"u8))
                return RepoOpAction.Create;
            if (s.SequenceEqual("update"u8))
                return RepoOpAction.Update;
            if (s.SequenceEqual("delete"u8))
                return RepoOpAction.Delete;
            Fail(FirehoseFrameError.InvalidValue, at, "action must be create, update or delete");
            return default;
        }

        private SyncMessage ReadSync()
        {
            int bodyAt = _r.BytesConsumed;
            int n = _r.ReadMapHeader();
            int seen = 0;
            long seq = 0;
            string did = "", rev = "", time = "";
            ReadOnlyMemory<byte> blocks = default;
            for (int i = 0; i < n; i++)
            {
                int keyAt = _r.BytesConsumed;
                ReadOnlySpan<byte> key = _r.ReadMapKey();
                if (key.SequenceEqual("did"u8)) { did = ReadString("did", TextFormat.Did); seen |= 1 << 0; }
                else if (key.SequenceEqual("rev"u8)) { rev = ReadString("rev", TextFormat.Tid); seen |= 1 << 1; }
                else if (key.SequenceEqual("seq"u8)) { seq = ReadSeq(); seen |= 1 << 2; }
                else if (key.SequenceEqual("time"u8)) { time = ReadString("time", TextFormat.Datetime); seen |= 1 << 3; }
                else if (key.SequenceEqual("blocks"u8)) { blocks = ReadBytes("blocks", _strict ? FirehoseLimits.MaxSyncBlocksBytes : int.MaxValue); seen |= 1 << 4; }
                else SkipUnknown(key, keyAt);
            }
            Require(seen, ["did", "rev", "seq", "time", "blocks"], bodyAt);
            if (_strict)
                CheckCarRoot(blocks, default, bodyAt);
            return new SyncMessage { Seq = seq, Did = did, Blocks = blocks, Rev = rev, Time = time };
        }

        private IdentityMessage ReadIdentity()
        {
            int bodyAt = _r.BytesConsumed;
            int n = _r.ReadMapHeader();
            int seen = 0;
            long seq = 0;
            string did = "", time = "";
            string? handle = null;
            for (int i = 0; i < n; i++)
            {
                int keyAt = _r.BytesConsumed;
                ReadOnlySpan<byte> key = _r.ReadMapKey();
                if (key.SequenceEqual("did"u8)) { did = ReadString("did", TextFormat.Did); seen |= 1 << 0; }
                else if (key.SequenceEqual("seq"u8)) { seq = ReadSeq(); seen |= 1 << 1; }
                else if (key.SequenceEqual("time"u8)) { time = ReadString("time", TextFormat.Datetime); seen |= 1 << 2; }
                else if (key.SequenceEqual("handle"u8)) { handle = ReadString("handle", TextFormat.Handle); }
                else SkipUnknown(key, keyAt);
            }
            Require(seen, ["did", "seq", "time"], bodyAt);
            return new IdentityMessage { Seq = seq, Did = did, Time = time, Handle = handle };
        }

        private AccountMessage ReadAccount()
        {
            int bodyAt = _r.BytesConsumed;
            int n = _r.ReadMapHeader();
            int seen = 0;
            long seq = 0;
            string did = "", time = "";
            bool active = false;
            string? status = null;
            for (int i = 0; i < n; i++)
            {
                int keyAt = _r.BytesConsumed;
                ReadOnlySpan<byte> key = _r.ReadMapKey();
                if (key.SequenceEqual("did"u8)) { did = ReadString("did", TextFormat.Did); seen |= 1 << 0; }
                else if (key.SequenceEqual("seq"u8)) { seq = ReadSeq(); seen |= 1 << 1; }
                else if (key.SequenceEqual("time"u8)) { time = ReadString("time", TextFormat.Datetime); seen |= 1 << 2; }
                else if (key.SequenceEqual("active"u8)) { active = ReadBool("active"); seen |= 1 << 3; }
                else if (key.SequenceEqual("status"u8)) { status = ReadString("status"); }
                else SkipUnknown(key, keyAt);
            }
            Require(seen, ["did", "seq", "time", "active"], bodyAt);
            return new AccountMessage { Seq = seq, Did = did, Time = time, Active = active, Status = status };
        }

        private InfoMessage ReadInfo()
        {
            (string name, string? message) = ReadNameAndMessage("name"u8, "name");
            return new InfoMessage { Name = name, Message = message };
        }

        private ErrorMessage ReadError()
        {
            (string error, string? message) = ReadNameAndMessage("error"u8, "error");
            return new ErrorMessage { Error = error, Message = message };
        }

        private (string Name, string? Message) ReadNameAndMessage(ReadOnlySpan<byte> nameKey, string nameField)
        {
            int bodyAt = _r.BytesConsumed;
            int n = _r.ReadMapHeader();
            int seen = 0;
            string name = "";
            string? message = null;
            for (int i = 0; i < n; i++)
            {
                int keyAt = _r.BytesConsumed;
                ReadOnlySpan<byte> key = _r.ReadMapKey();
                if (key.SequenceEqual(nameKey)) { name = ReadString(nameField); seen |= 1; }
                else if (key.SequenceEqual("message"u8)) { message = ReadString("message"); }
                else SkipUnknown(key, keyAt);
            }
            Require(seen, [nameField], bodyAt);
            return (name, message);
        }

        // ---- fields ----------------------------------------------------------------------------------

        private long ReadSeq()
        {
            int at = _r.BytesConsumed;
            long seq = ReadInt("seq");
            // Sequence numbers are positive (event-stream spec, "Sequence Numbers").
            if (seq < 1)
                Fail(FirehoseFrameError.InvalidValue, at, $"seq = {seq}, must be ≥ 1");
            return seq;
        }

        private long ReadInt(string field)
        {
            Expect(CborKind.Integer, field, "an integer");
            return _r.ReadInt();
        }

        private bool ReadBool(string field)
        {
            Expect(CborKind.Bool, field, "a boolean");
            return _r.ReadBool();
        }

        private string ReadString(string field, TextFormat format = TextFormat.Any)
        {
            int at = _r.BytesConsumed;
            Expect(CborKind.Text, field, "a string");
            ReadOnlySpan<byte> utf8 = _r.ReadText();
            if (_strict && !IsValid(utf8, format))
                Fail(FirehoseFrameError.InvalidValue, at, $"{field} is not a valid {format}");
            return Encoding.UTF8.GetString(utf8);
        }

        private string? ReadNullableString(string field, TextFormat format) => _r.TryReadNull() ? null : ReadString(field, format);

        /// <summary>The lexicon string formats strict mode checks (over UTF-8, without allocating).</summary>
        private static bool IsValid(ReadOnlySpan<byte> utf8, TextFormat format)
        {
            switch (format)
            {
                case TextFormat.Did:
                    return Did.IsValid(utf8);
                case TextFormat.Tid:
                    return Tid.IsValid(utf8);
                case TextFormat.Datetime:
                    return AtDatetime.IsValid(utf8);
                case TextFormat.Handle:
                    return Handle.IsValid(utf8);
                case TextFormat.RepoPath:
                    // collection NSID "/" record key
                    int slash = utf8.IndexOf((byte)'/');
                    return slash > 0 && Nsid.IsValid(utf8[..slash]) && RecordKey.IsValid(utf8[(slash + 1)..]);
                default:
                    return true;
            }
        }

        private Cid ReadLink(string field)
        {
            Expect(CborKind.Cid, field, "a CID link");
            return _r.ReadCid();
        }

        private Cid ReadNullableLink(string field) => _r.TryReadNull() ? default : ReadLink(field);

        private Cid[] ReadLinks(string field)
        {
            Expect(CborKind.Array, field, "an array");
            int count = _r.ReadArrayHeader();
            var links = count == 0 ? [] : new Cid[count];
            for (int i = 0; i < count; i++)
                links[i] = ReadLink(field);
            return links;
        }

        private ReadOnlyMemory<byte> ReadBytes(string field, int maxLength)
        {
            int at = _r.BytesConsumed;
            Expect(CborKind.Bytes, field, "bytes");
            ReadOnlySpan<byte> bytes = _r.ReadBytes();
            if (bytes.Length > maxLength)
                Fail(FirehoseFrameError.LimitExceeded, at, $"{field} is {bytes.Length} bytes, limit {maxLength}");
            int end = _r.BytesConsumed;
            return _frame.Slice(end - bytes.Length, bytes.Length);
        }

        private readonly void Expect(CborKind kind, string field, string what)
        {
            if (_r.PeekKind() != kind)
                Fail(FirehoseFrameError.WrongFieldType, _r.BytesConsumed, $"{field} must be {what}");
        }

        private void SkipUnknown(ReadOnlySpan<byte> key, int keyAt)
        {
            // The spec tells clients to ignore unknown fields; our own frames never have any.
            if (_strict)
                Fail(FirehoseFrameError.UnknownField, keyAt, $"unknown field '{Encoding.UTF8.GetString(key)}'");
            _r.SkipValue();
        }

        private static void Require(int seen, ReadOnlySpan<string> fields, int at)
        {
            for (int i = 0; i < fields.Length; i++)
            {
                if ((seen & (1 << i)) == 0)
                    Fail(FirehoseFrameError.MissingField, at, $"missing required field '{fields[i]}'");
            }
        }

        /// <summary>
        /// Checks <paramref name="car"/> is a CAR whose first root is <paramref name="root"/> (or, when that is
        /// empty, whatever its first root is) and which holds that root's block. Block hashes are not checked here:
        /// that belongs to commit verification, which reads every block anyway.
        /// </summary>
        private static void CheckCarRoot(ReadOnlyMemory<byte> car, Cid root, int at)
        {
            try
            {
                var reader = new CarSpanReader(car.Span, new CarReaderOptions { SkipHashVerification = true });
                if (reader.Header.Roots.Count == 0)
                    Fail(FirehoseFrameError.InvalidBlocks, at, "the blocks CAR has no root");
                Cid first = reader.Header.Roots[0];
                if (!root.IsEmpty && first != root)
                    Fail(FirehoseFrameError.InvalidBlocks, at, "the blocks CAR's first root is not the commit");
                while (reader.TryReadBlock(out Cid cid, out _))
                {
                    if (cid == first)
                        return;
                }
                Fail(FirehoseFrameError.InvalidBlocks, at, "the blocks CAR does not contain the commit block");
            }
            catch (CarException e)
            {
                throw new FirehoseFrameException(FirehoseFrameError.InvalidBlocks, at, "blocks is not a valid CAR: " + e.Message, e);
            }
        }

        private enum TextFormat
        {
            Any,
            Did,
            Tid,
            Datetime,
            Handle,
            RepoPath,
        }

        [DoesNotReturn]
        private static void Fail(FirehoseFrameError error, int offset, string detail) =>
            FirehoseFrameException.Throw(error, offset, detail);
    }
}
