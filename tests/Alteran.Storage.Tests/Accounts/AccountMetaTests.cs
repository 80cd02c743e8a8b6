using System.Text;
using Alteran.Storage.Accounts;

namespace Alteran.Storage.Tests.Accounts;

public class AccountMetaTests
{
    [Fact]
    public async Task Rows_are_per_account_and_kind_durable_and_deleted_with_the_account()
    {
        using var t = new TempStore();
        long a = (await t.Store.CreateAccountAsync(new AccountRow { Did = "did:plc:meta-a" })).AccountId;
        long b = (await t.Store.CreateAccountAsync(new AccountRow { Did = "did:plc:meta-b" })).AccountId;
        Assert.Null(t.Store.GetAccountMeta(a, "prefs"));
        t.Store.PutAccountMeta(a, "prefs", "[1]"u8);
        t.Store.PutAccountMeta(a, "apppw", "[2]"u8);
        t.Store.PutAccountMeta(b, "prefs", "[3]"u8);
        t.Store.PutAccountMeta(a, "prefs", "[4]"u8); // replaces
        t.Store.PutAccountMeta(a, "empty", default);
        t.Reopen();
        Assert.Equal("[4]"u8.ToArray(), t.Store.GetAccountMeta(a, "prefs"));
        Assert.Equal("[2]"u8.ToArray(), t.Store.GetAccountMeta(a, "apppw"));
        Assert.Equal("[3]"u8.ToArray(), t.Store.GetAccountMeta(b, "prefs"));
        Assert.Equal(0, t.Store.GetAccountMeta(a, "empty")?.Length);
        t.Store.DeleteAccountMeta(a, "apppw");
        t.Store.DeleteAccountMeta(a, "never-written");
        Assert.Null(t.Store.GetAccountMeta(a, "apppw"));

        await t.Store.DeleteAccountAsync(a);
        Assert.Null(t.Store.GetAccountMeta(a, "prefs"));
        Assert.Equal("[3]"u8.ToArray(), t.Store.GetAccountMeta(b, "prefs"));

        Assert.Throws<ArgumentException>(() => t.Store.PutAccountMeta(b, "", "x"u8));
        Assert.Throws<ArgumentException>(() => t.Store.PutAccountMeta(b, new string('k', 65), "x"u8));
        Assert.Throws<ArgumentException>(() => t.Store.PutAccountMeta(b, "bad kind", "x"u8));
        Assert.Throws<ArgumentOutOfRangeException>(() => t.Store.PutAccountMeta(0, "prefs", "x"u8));
        Assert.Throws<ArgumentException>(() => t.Store.PutAccountMeta(b, "big", new byte[(4 << 20) + 1]));
    }

    [Fact]
    public async Task Migration_moves_rows_kept_in_the_sessions_cf_and_leaves_real_sessions()
    {
        using var t = new TempStore();
        long a = (await t.Store.CreateAccountAsync(new AccountRow { Did = "did:plc:meta-mig" })).AccountId;
        // The schema <= 2 convention: never-expiring sessions with token id "~<kind>:<account>".
        foreach (string kind in new[] { "prefs", "apppw", "families" })
            t.Store.PutSession(Encoding.ASCII.GetBytes($"~{kind}:{a}"), a, long.MaxValue, Encoding.ASCII.GetBytes($"payload {kind}"));
        t.Store.PutSession("realtoken"u8, a, 123, "claims"u8);
        t.Store.Dispose();
        AlteranStore.WriteSchemaVersionForTests(t.Directory, t.Options, 2);

        AlteranStore store = t.Reopen();
        Assert.Equal(AlteranStore.CurrentSchemaVersion, store.SchemaVersion);
        foreach (string kind in new[] { "prefs", "apppw", "families" })
        {
            Assert.Equal(Encoding.ASCII.GetBytes($"payload {kind}"), store.GetAccountMeta(a, kind));
            Assert.Null(store.GetSession(Encoding.ASCII.GetBytes($"~{kind}:{a}")));
        }
        Assert.Equal("claims"u8.ToArray(), store.GetSession("realtoken"u8)!.Payload);
        // Account deletion now clears the moved rows and the real session (its index key survived the move).
        await store.DeleteAccountAsync(a);
        Assert.Null(store.GetAccountMeta(a, "prefs"));
        Assert.Null(store.GetSession("realtoken"u8));

        // A rerun (crash before the version stamp) finds nothing left to move.
        store.Dispose();
        AlteranStore.WriteSchemaVersionForTests(t.Directory, t.Options, 2);
        Assert.Equal(AlteranStore.CurrentSchemaVersion, t.Reopen().SchemaVersion);
    }
}
