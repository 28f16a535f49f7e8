//! 校验规则: a comparison of two sums over field codes and numbers, e.g. `vaccinated <=
//! enrolled` or `full_time + part_time >= 1`. Small on purpose: what an officer writes in a
//! form's definition, read without surprises.

use std::collections::HashMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Le,
    Lt,
    Ge,
    Gt,
    Eq,
    Ne,
}

impl Op {
    fn holds(self, a: f64, b: f64) -> bool {
        // Values are hundredths at most: compare on that grid, not on float noise.
        let (a, b) = ((a * 100.0).round(), (b * 100.0).round());
        match self {
            Op::Le => a <= b,
            Op::Lt => a < b,
            Op::Ge => a >= b,
            Op::Gt => a > b,
            Op::Eq => a == b,
            Op::Ne => a != b,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Term {
    Field(String),
    Number(f64),
}

/// A sum of terms, each added or subtracted.
#[derive(Clone, Debug, PartialEq)]
struct Sum(Vec<(bool, Term)>);

#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    left: Sum,
    op: Op,
    right: Sum,
}

#[derive(Debug, PartialEq)]
enum Token {
    Name(String),
    Number(f64),
    Plus,
    Minus,
    Op(Op),
}

fn tokens(text: &str) -> Result<Vec<Token>, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match c {
            ' ' | '\t' => i += 1,
            '+' => {
                out.push(Token::Plus);
                i += 1;
            }
            '-' => {
                out.push(Token::Minus);
                i += 1;
            }
            '<' | '>' | '=' | '!' => {
                let (op, len) = match (c, next) {
                    ('<', Some('=')) => (Op::Le, 2),
                    ('>', Some('=')) => (Op::Ge, 2),
                    ('=', Some('=')) => (Op::Eq, 2),
                    ('!', Some('=')) => (Op::Ne, 2),
                    ('<', _) => (Op::Lt, 1),
                    ('>', _) => (Op::Gt, 1),
                    ('=', _) => (Op::Eq, 1),
                    _ => return Err("“!”后应为“=”".into()),
                };
                out.push(Token::Op(op));
                i += len;
            }
            c if c.is_ascii_digit() || c == '.' => {
                let start = i;
                while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                    i += 1;
                }
                let text: String = chars[start..i].iter().collect();
                let n = text
                    .parse::<f64>()
                    .map_err(|_| format!("“{text}”不是数字"))?;
                out.push(Token::Number(n));
            }
            c if c.is_ascii_lowercase() => {
                let start = i;
                while i < chars.len()
                    && (chars[i].is_ascii_lowercase()
                        || chars[i].is_ascii_digit()
                        || chars[i] == '_')
                {
                    i += 1;
                }
                out.push(Token::Name(chars[start..i].iter().collect()));
            }
            other => {
                return Err(format!(
                    "不认识的字符“{other}”（可用：填报项代码、数字、+ - 和 <= < >= > == !=）"
                ))
            }
        }
    }
    Ok(out)
}

fn sum(tokens: &[Token]) -> Result<Sum, String> {
    let mut terms = Vec::new();
    let mut sign = true;
    let mut expect_term = true;
    for t in tokens {
        match (t, expect_term) {
            (Token::Name(n), true) => {
                terms.push((sign, Term::Field(n.clone())));
                expect_term = false;
            }
            (Token::Number(n), true) => {
                terms.push((sign, Term::Number(*n)));
                expect_term = false;
            }
            (Token::Plus, false) => {
                sign = true;
                expect_term = true;
            }
            (Token::Minus, false) => {
                sign = false;
                expect_term = true;
            }
            _ => return Err("加减号两边应各有一个填报项代码或数字".into()),
        }
    }
    if expect_term {
        return Err("比较符两边应各有一个填报项代码、数字或它们的和".into());
    }
    Ok(Sum(terms))
}

impl Rule {
    /// Reads `left op right`; a malformed rule is refused saying what is wrong.
    pub fn parse(text: &str) -> Result<Rule, String> {
        if text.chars().count() > 200 {
            return Err("规则不能超过200个字符".into());
        }
        let tokens = tokens(text)?;
        let ops: Vec<usize> = tokens
            .iter()
            .enumerate()
            .filter(|(_, t)| matches!(t, Token::Op(_)))
            .map(|(i, _)| i)
            .collect();
        let [at] = ops[..] else {
            return Err("应恰好有一个比较符（<= < >= > == !=）".into());
        };
        let Token::Op(op) = tokens[at] else {
            unreachable!("filtered to comparison tokens")
        };
        Ok(Rule {
            left: sum(&tokens[..at])?,
            op,
            right: sum(&tokens[at + 1..])?,
        })
    }

    /// The field codes the rule reads.
    pub fn fields(&self) -> Vec<&str> {
        self.left
            .0
            .iter()
            .chain(&self.right.0)
            .filter_map(|(_, t)| match t {
                Term::Field(f) => Some(f.as_str()),
                Term::Number(_) => None,
            })
            .collect()
    }

    /// Whether the answers satisfy the rule; None when a field it reads was left blank (a
    /// required field's blank is refused on its own).
    pub fn holds(&self, values: &HashMap<&str, f64>) -> Option<bool> {
        let total = |s: &Sum| -> Option<f64> {
            s.0.iter().try_fold(0.0, |acc, (plus, t)| {
                let v = match t {
                    Term::Field(f) => *values.get(f.as_str())?,
                    Term::Number(n) => *n,
                };
                Some(if *plus { acc + v } else { acc - v })
            })
        };
        Some(self.op.holds(total(&self.left)?, total(&self.right)?))
    }
}
