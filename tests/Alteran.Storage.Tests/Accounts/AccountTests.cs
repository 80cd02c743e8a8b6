using Alteran.Storage.Accounts;

namespace Alteran.Storage.Tests.Accounts;

public class AccountTests
{
    private static AccountRow Row(string did, string? handle) => new()
    {
        Did = did,
        Handle = handle,
        Email = "a@example.com",
        CreatedAt = 123,
        PasswordHash = [1, 2, 3],
        SigningKey = [4, 5],
    };

    [Fact]
    public async Task Create_assigns_ids_and_indexes_survive_reopen()
    {
        using var t = new TempStore();
        WriteResult a = await t.Store.CreateAccountAsync(Row("did:plc:aaa", "alice.test"), new TestEvent("id"u8.ToArray()));
        WriteResult b = await t.Store.CreateAccountAsync(Row("did:plc:bbb", null));
        Assert.Equal(1, a.AccountId);
        Assert.Equal(1, a.Seq);
        Assert.Equal(2, b.AccountId);
        Assert.Equal(0, b.Seq);
        t.Reopen();
        Assert.True(t.Store.TryGetAccountIdByDid("did:plc:aaa", out long id));
        Assert.Equal(1, id);
        Assert.True(t.Store.TryGetAccountIdByHandle("alice.test", out id));
        Assert.Equal(1, id);
        AccountRow? row = t.Store.GetAccount(2);
        Assert.NotNull(row);
        Assert.Equal("did:plc:bbb", row.Did);
        Assert.Null(row.Handle);
        Assert.Equal(new byte[] { 1, 2, 3 }, row.PasswordHash);
        Assert.Null(row.RotationKeys);
        Assert.Equal(3, (await t.Store.CreateAccountAsync(Row("did:plc:ccc", "c.test"))).AccountId);
    }

    [Fact]
    public async Task Duplicate_did_or_handle_conflicts_even_within_one_batch()
    {
        using var t = new TempStore();
        Task<WriteResult> first = t.Store.CreateAccountAsync(Row("did:plc:aaa", "alice.test"));
        Task<WriteResult> sameDid = t.Store.CreateAccountAsync(Row("did:plc:aaa", "other.test"));
        Task<WriteResult> sameHandle = t.Store.CreateAccountAsync(Row("did:plc:zzz", "alice.test"));
        Assert.Equal(1, (await first).AccountId);
        Assert.Equal(StorageError.Conflict, (await Assert.ThrowsAsync<StorageException>(() => sameDid)).Error);
        Assert.Equal(StorageError.Conflict, (await Assert.ThrowsAsync<StorageException>(() => sameHandle)).Error);
        Assert.False(t.Store.TryGetAccountIdByHandle("other.test", out _));
        Assert.Equal(2, (await t.Store.CreateAccountAsync(Row("did:plc:bbb", "b.test"))).AccountId); // no id consumed by failures
    }

    [Fact]
    public async Task Handle_change_frees_the_old_handle()
    {
        using var t = new TempStore();
        AccountRow row = Row("did:plc:aaa", "old.test");
        await t.Store.CreateAccountAsync(row);
        row.Handle = "new.test";
        row.Status = AccountStatus.Deactivated;
        await t.Store.UpdateAccountAsync(row);
        Assert.False(t.Store.TryGetAccountIdByHandle("old.test", out _));
        Assert.True(t.Store.TryGetAccountIdByHandle("new.test", out _));
        Assert.Equal(AccountStatus.Deactivated, t.Store.GetAccount(row.AccountId)!.Status);
        await t.Store.CreateAccountAsync(Row("did:plc:bbb", "old.test"));
        var missing = Row("did:plc:x", null);
        missing.AccountId = 99;
        Assert.Equal(StorageError.NotFound, (await Assert.ThrowsAsync<StorageException>(() => t.Store.UpdateAccountAsync(missing))).Error);
    }

    [Fact]
    public async Task Updates_queued_together_see_each_other()
    {
        using var t = new TempStore();
        AccountRow row = Row("did:plc:aaa", "a.test");
        await t.Store.CreateAccountAsync(row);
        AccountRow second = Row("did:plc:aaa", "b.test");
        second.AccountId = row.AccountId;
        AccountRow third = Row("did:plc:aaa", "c.test");
        third.AccountId = row.AccountId;
        await Task.WhenAll(t.Store.UpdateAccountAsync(second), t.Store.UpdateAccountAsync(third));
        Assert.False(t.Store.TryGetAccountIdByHandle("a.test", out _));
        Assert.False(t.Store.TryGetAccountIdByHandle("b.test", out _)); // the stale middle handle is gone too
        Assert.True(t.Store.TryGetAccountIdByHandle("c.test", out _));
        Task<WriteResult> delete = t.Store.DeleteAccountAsync(row.AccountId);
        Task<WriteResult> updateAfterDelete = t.Store.UpdateAccountAsync(third);
        await delete;
        Assert.Equal(StorageError.NotFound, (await Assert.ThrowsAsync<StorageException>(() => updateAfterDelete)).Error);
        Assert.False(t.Store.TryGetAccountIdByHandle("c.test", out _));
    }

    [Fact]
    public async Task Delete_account_removes_repo_records_sessions_and_indexes()
    {
        using var t = new TempStore();
        long id = (await t.Store.CreateAccountAsync(Row("did:plc:aaa", "a.test"))).AccountId;
        long other = (await t.Store.CreateAccountAsync(Row("did:plc:bbb", "b.test"))).AccountId;
        await t.Store.ApplyCommitAsync(Commits.Simple(id, "r", "x", out Protocol.Cid rec, out _));
        await t.Store.ApplyCommitAsync(Commits.Simple(other, "r", "x", out _, out _));
        t.Store.PutSession("tok1"u8, id, 1000, "p"u8);
        t.Store.PutSession("tok2"u8, other, 1000, "q"u8);
        WriteResult r = await t.Store.DeleteAccountAsync(id, new TestEvent("gone"u8.ToArray()));
        Assert.Equal(3, r.Seq);
        Assert.Null(t.Store.GetAccount(id));
        Assert.False(t.Store.TryGetAccountIdByDid("did:plc:aaa", out _));
        Assert.False(t.Store.TryGetAccountIdByHandle("a.test", out _));
        Assert.False(t.Store.TryGetRecord(id, "app.test.post", "r", out _));
        Assert.Null(t.Store.GetBlock(id, rec));
        Assert.False(t.Store.TryGetRepoRoot(id, out _));
        Assert.Null(t.Store.GetSession("tok1"u8));
        Assert.NotNull(t.Store.GetSession("tok2"u8));
        Assert.True(t.Store.TryGetRecord(other, "app.test.post", "r", out _));
    }

    [Fact]
    public void Sessions_round_trip_and_delete()
    {
        using var t = new TempStore();
        t.Store.PutSession("abc"u8, 5, 99, "payload"u8);
        Session? s = t.Store.GetSession("abc"u8);
        Assert.NotNull(s);
        Assert.Equal(5, s.AccountId);
        Assert.Equal(99, s.ExpiresAt);
        Assert.Equal("payload"u8.ToArray(), s.Payload);
        t.Reopen();
        Assert.NotNull(t.Store.GetSession("abc"u8));
        t.Store.DeleteSession("abc"u8);
        Assert.Null(t.Store.GetSession("abc"u8));
        Assert.Throws<ArgumentException>(() => t.Store.PutSession(default, 5, 1, default));
    }

    [Fact]
    public void Expired_sessions_are_pruned_in_bounded_steps()
    {
        using var t = new TempStore();
        for (int i = 0; i < 10; i++)
            t.Store.PutSession(System.Text.Encoding.ASCII.GetBytes($"t{i}"), 1, expiresAt: i < 6 ? 100 : 1000, "p"u8);
        Assert.Equal(2, t.Store.PruneExpiredSessions(nowMs: 500, maxScan: 2));
        Assert.Equal(4, t.Store.PruneExpiredSessions(nowMs: 500));
        Assert.Equal(0, t.Store.PruneExpiredSessions(nowMs: 500));
        Assert.Null(t.Store.GetSession("t5"u8));
        Assert.NotNull(t.Store.GetSession("t6"u8));
    }

    [Fact]
    public void Account_row_decoder_rejects_every_truncation()
    {
        byte[] encoded = AccountCodec.Encode(Row("did:plc:aaa", "alice.test"));
        Assert.Equal("did:plc:aaa", AccountCodec.Decode(1, encoded).Did);
        for (int i = 0; i < encoded.Length; i++)
            Assert.Equal(StorageError.Corruption, Assert.Throws<StorageException>(() => AccountCodec.Decode(1, encoded.AsSpan(0, i))).Error);
        byte[] longer = [.. encoded, 0];
        Assert.Throws<StorageException>(() => AccountCodec.Decode(1, longer));
        byte[] badLength = (byte[])encoded.Clone();
        badLength[10] = 0x7F; // DID length far beyond the row
        Assert.Throws<StorageException>(() => AccountCodec.Decode(1, badLength));
    }
}
