//! 登录安全: the password policy and the login throttle, as pure rules.
//!
//! # Login throttle
//!
//! Every login attempt is counted *before* the password is checked (so that a burst of
//! parallel requests cannot slip past a count that is only written after each check), in
//! three counters, each over a window of [`WINDOW_MINUTES`]:
//!
//! * **(name, address)**: the name as typed and the caller's address. After
//!   [`PAIR_MAX_FAILURES`] failures this pair is locked for [`PAIR_LOCK_MINUTES`]: from that
//!   address even the right password is refused with the usual message. The same user at
//!   another address (their office, their phone) is not affected, so an anonymous caller
//!   cannot lock anybody else out. A lock that has run out starts a fresh count.
//! * **address**: all names from one address. After [`ADDRESS_MAX_FAILURES`] failures the
//!   address is refused for [`ADDRESS_LOCK_MINUTES`] whatever name it tries, without a
//!   password check (this is what stops one machine guessing many names, or one name
//!   many times around the pair lock by changing names).
//! * **name**: one name from all addresses. Past [`ACCOUNT_SLOW_FAILURES`] failures in the
//!   window every attempt on that name waits [`ACCOUNT_SLOW_SECONDS`] before it is
//!   answered, the right password included. It slows a guessing network spread over many
//!   addresses but never locks: a lock here would hand any attacker a permanent lock-out of
//!   the administrator.
//!
//! A successful login clears its pair and takes its own attempt back off the address and
//! name counters, so that colleagues behind one office address are not throttled by their
//! own logins. Counters apply to names that do not exist exactly as to real ones, so the
//! answers reveal nothing about which names exist; wrong password, unknown name and locked
//! pair give the same text after the same work (one argon2 verification each).

use chrono::{DateTime, Utc};

pub const WINDOW_MINUTES: i64 = 15;
pub const PAIR_MAX_FAILURES: i64 = 5;
pub const PAIR_LOCK_MINUTES: i64 = 15;
pub const ADDRESS_MAX_FAILURES: i64 = 30;
pub const ADDRESS_LOCK_MINUTES: i64 = 15;
pub const ACCOUNT_SLOW_FAILURES: i64 = 100;
pub const ACCOUNT_SLOW_SECONDS: u64 = 2;
/// Names longer than this are cut before they are counted or written to the audit log.
pub const MAX_NAME_CHARS: usize = 64;

/// One counter after this attempt was added to it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Count {
    /// Attempts in the current window, this one included.
    pub attempts: i64,
    /// Set once the counter has locked (pair, address).
    pub locked_until: Option<DateTime<Utc>>,
}

impl Count {
    fn locked(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.locked_until.filter(|until| *until > now)
    }
}

/// What to do with one login attempt, decided before the password is checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gate {
    /// Check the password.
    Open { slow: bool },
    /// The (name, address) pair is locked: check the password anyway (the same work and
    /// answer as a wrong one) but refuse.
    PairLocked { slow: bool },
    /// The address is refused for every name until then; nothing is checked.
    AddressThrottled { until: DateTime<Utc> },
}

pub fn gate(now: DateTime<Utc>, pair: Count, address: Count, name: Count) -> Gate {
    if let Some(until) = address.locked(now) {
        return Gate::AddressThrottled { until };
    }
    if address.attempts > ADDRESS_MAX_FAILURES {
        return Gate::AddressThrottled {
            until: now + chrono::Duration::minutes(ADDRESS_LOCK_MINUTES),
        };
    }
    let slow = name.attempts > ACCOUNT_SLOW_FAILURES;
    if pair.locked(now).is_some() || pair.attempts > PAIR_MAX_FAILURES {
        return Gate::PairLocked { slow };
    }
    Gate::Open { slow }
}

/// Whether a failed attempt locks the pair (the count reached the limit with this one).
pub fn failure_locks_pair(pair: Count) -> bool {
    pair.attempts >= PAIR_MAX_FAILURES
}

/// Cuts a typed name to [`MAX_NAME_CHARS`] after trimming it.
pub fn bounded_name(typed: &str) -> String {
    typed.trim().chars().take(MAX_NAME_CHARS).collect()
}

/// Passwords longer than this are refused (argon2 work grows with the input).
pub const MAX_PASSWORD_CHARS: usize = 128;
pub const MIN_PASSWORD_CHARS: usize = 10;

const COMMON_PASSWORDS: &str = include_str!("../data/common_passwords.txt");

fn common_passwords() -> &'static rustc_hash::FxHashSet<&'static str> {
    static SET: std::sync::OnceLock<rustc_hash::FxHashSet<&'static str>> =
        std::sync::OnceLock::new();
    SET.get_or_init(|| {
        COMMON_PASSWORDS
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect()
    })
}

/// Whether the password is on the common-password list (case-insensitive).
pub fn is_common_password(password: &str) -> bool {
    common_passwords().contains(password.trim().to_lowercase().as_str())
}

/// The password policy for a new password of `username`, with the reason in Chinese:
/// 10–128 characters, at least two of letters / digits / symbols, not the account name
/// (nor the name with only digits or symbols added), not a common password.
pub fn check_password(password: &str, username: &str) -> Result<(), String> {
    let length = password.chars().count();
    if length < MIN_PASSWORD_CHARS {
        return Err(format!("新密码至少{MIN_PASSWORD_CHARS}位"));
    }
    if length > MAX_PASSWORD_CHARS {
        return Err(format!("新密码最多{MAX_PASSWORD_CHARS}位"));
    }
    let letters = password.chars().any(char::is_alphabetic);
    let digits = password.chars().any(|c| c.is_ascii_digit());
    let symbols = password
        .chars()
        .any(|c| !c.is_alphanumeric() && !c.is_whitespace());
    if [letters, digits, symbols].iter().filter(|b| **b).count() < 2 {
        return Err("新密码须包含字母、数字、符号中的至少两类".into());
    }
    let lower = password.to_lowercase();
    let name = username.trim().to_lowercase();
    let letters_of = |s: &str| s.chars().filter(|c| c.is_alphabetic()).collect::<String>();
    if !name.is_empty()
        && (lower == name
            || (!letters_of(&name).is_empty() && letters_of(&lower) == letters_of(&name)))
    {
        return Err("新密码不能是账号名，也不能只在账号名后加数字或符号".into());
    }
    if is_common_password(password) {
        return Err("新密码过于常见（在常用密码表中），容易被猜中，请换一个".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minutes: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_700_000_000, 0).expect("time")
            + chrono::Duration::minutes(minutes)
    }

    fn count(attempts: i64) -> Count {
        Count {
            attempts,
            locked_until: None,
        }
    }

    #[test]
    fn the_pair_locks_at_the_fifth_failure_and_only_the_pair() {
        let now = at(0);
        for n in 1..=PAIR_MAX_FAILURES {
            assert_eq!(
                gate(now, count(n), count(n), count(n)),
                Gate::Open { slow: false }
            );
        }
        assert!(!failure_locks_pair(count(4)));
        assert!(failure_locks_pair(count(5)));
        let locked = Count {
            attempts: 6,
            locked_until: Some(at(15)),
        };
        assert_eq!(
            gate(now, locked, count(6), count(6)),
            Gate::PairLocked { slow: false }
        );
        // A burst counted before the lock is written is refused all the same.
        assert_eq!(
            gate(now, count(7), count(7), count(7)),
            Gate::PairLocked { slow: false }
        );
        // The same name from another address: its own pair count, open.
        assert_eq!(
            gate(now, count(1), count(1), count(7)),
            Gate::Open { slow: false }
        );
        // After the lock has run out.
        assert_eq!(
            gate(
                at(16),
                Count {
                    attempts: 1,
                    locked_until: Some(at(15))
                },
                count(1),
                count(8)
            ),
            Gate::Open { slow: false }
        );
    }

    #[test]
    fn the_address_is_throttled_past_its_limit_for_every_name() {
        let now = at(0);
        assert_eq!(
            gate(now, count(1), count(ADDRESS_MAX_FAILURES), count(1)),
            Gate::Open { slow: false }
        );
        assert!(matches!(
            gate(now, count(1), count(ADDRESS_MAX_FAILURES + 1), count(1)),
            Gate::AddressThrottled { .. }
        ));
        let locked = Count {
            attempts: 1,
            locked_until: Some(at(10)),
        };
        assert_eq!(
            gate(now, count(1), locked, count(1)),
            Gate::AddressThrottled { until: at(10) }
        );
    }

    #[test]
    fn many_failures_on_one_name_slow_it_down_but_never_lock_it() {
        let now = at(0);
        assert_eq!(
            gate(now, count(1), count(1), count(ACCOUNT_SLOW_FAILURES + 1)),
            Gate::Open { slow: true }
        );
        assert_eq!(
            gate(now, count(1), count(1), count(1_000_000)),
            Gate::Open { slow: true }
        );
    }

    #[test]
    fn names_are_bounded() {
        assert_eq!(bounded_name("  admin "), "admin");
        assert_eq!(
            bounded_name(&"x".repeat(500)).chars().count(),
            MAX_NAME_CHARS
        );
    }

    #[test]
    fn password_policy() {
        assert_eq!(check_password("Ab1", "zhang"), Err("新密码至少10位".into()));
        assert_eq!(
            check_password(&"Ab1".repeat(50), "zhang"),
            Err("新密码最多128位".into())
        );
        assert_eq!(
            check_password("abcdefghijkl", "zhang"),
            Err("新密码须包含字母、数字、符号中的至少两类".into())
        );
        assert_eq!(
            check_password("1234567890123", "zhang"),
            Err("新密码须包含字母、数字、符号中的至少两类".into())
        );
        assert!(check_password("zhangsan2021", "zhangsan")
            .expect_err("refused")
            .contains("账号名"));
        assert!(check_password("ZhangSan!!2021", "zhangsan")
            .expect_err("refused")
            .contains("账号名"));
        for common in [
            "password1",
            "a123456789",
            "1qaz2wsx3edc",
            "woaini1314520",
            "Woaini5201314",
            "QWERTYUIOP123",
            "zhangwei123456",
            "wodemima123",
            "P@ssw0rd123",
        ] {
            let refused = check_password(common, "someone");
            assert!(
                refused
                    .as_ref()
                    .is_err_and(|r| r.contains("常见") || r.contains("至少")),
                "{common}: {refused:?}"
            );
        }
        assert!(check_password("woaini1314520", "x")
            .expect_err("refused")
            .contains("常见"));
        // The test accounts' and the browser tests' passwords pass.
        for good in [
            "Zhongxue2021",
            "Xinmima2022",
            "Abcdefg123",
            "Xinadmin2022",
            "Bench2021pw",
        ] {
            assert_eq!(check_password(good, "admin"), Ok(()), "{good}");
        }
        // Letters may be Chinese; symbols count as a class.
        assert_eq!(check_password("溆浦县教育局!!2021", "admin"), Ok(()));
        assert_eq!(check_password("correct-horse-battery", "admin"), Ok(()));
    }

    #[test]
    fn the_list_holds_the_usual_suspects() {
        for p in [
            "123456789",
            "1qaz2wsx",
            "woaini1314",
            "a123456789",
            "password1",
            "qwertyuiop",
            "PASSWORD1",
        ] {
            assert!(is_common_password(p), "{p}");
        }
        assert!(common_passwords().len() > 3000);
        assert!(!is_common_password("Zhongxue2021"));
    }
}
