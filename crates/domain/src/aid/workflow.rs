//! The statuses of the proposal workflow (学校申报 → 乡镇审核 → 县资助中心审批, or 退回) and
//! of a disbursement batch (待发放 → 部分发放 → 已发放), with the labels stored and shown.

/// 申报状态.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ProposalStatus {
    /// 学校申报: proposed by the school, awaiting the township's check.
    Proposed,
    /// 乡镇审核: checked by the township, awaiting the county's approval.
    Checked,
    /// 县资助中心审批: approved; a disbursement batch was made from it.
    Approved,
    /// 退回: sent back with a reason; the school proposes again.
    SentBack,
}

impl ProposalStatus {
    pub const ALL: [ProposalStatus; 4] = [
        ProposalStatus::Proposed,
        ProposalStatus::Checked,
        ProposalStatus::Approved,
        ProposalStatus::SentBack,
    ];

    pub const fn label(self) -> &'static str {
        match self {
            ProposalStatus::Proposed => "学校申报",
            ProposalStatus::Checked => "乡镇审核",
            ProposalStatus::Approved => "县资助中心审批",
            ProposalStatus::SentBack => "退回",
        }
    }

    pub fn parse(raw: &str) -> Option<ProposalStatus> {
        ProposalStatus::ALL
            .into_iter()
            .find(|s| s.label() == raw.trim())
    }

    /// Whether the school may propose again for the term: not once the township has checked
    /// the proposal or the county approved it (a proposed or sent-back list is replaced).
    pub const fn allows_new_proposal(self) -> bool {
        matches!(self, ProposalStatus::Proposed | ProposalStatus::SentBack)
    }

    /// The level whose turn it is (待办): the township checks a proposal, the county
    /// approves a checked one, the school proposes a sent-back one again; nobody's once
    /// approved.
    pub const fn awaits(self) -> Option<crate::access::OrgLevel> {
        use crate::access::OrgLevel;
        match self {
            ProposalStatus::Proposed => Some(OrgLevel::Township),
            ProposalStatus::Checked => Some(OrgLevel::County),
            ProposalStatus::SentBack => Some(OrgLevel::School),
            ProposalStatus::Approved => None,
        }
    }
}

impl std::fmt::Display for ProposalStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// 发放批次状态, from the payments imported back against the batch's lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BatchStatus {
    /// 待发放: no line paid yet.
    Pending,
    /// 部分发放: some lines unpaid or paid another amount.
    PartlyPaid,
    /// 已发放: every line paid its amount.
    Paid,
}

impl BatchStatus {
    pub const ALL: [BatchStatus; 3] = [
        BatchStatus::Pending,
        BatchStatus::PartlyPaid,
        BatchStatus::Paid,
    ];

    pub const fn label(self) -> &'static str {
        match self {
            BatchStatus::Pending => "待发放",
            BatchStatus::PartlyPaid => "部分发放",
            BatchStatus::Paid => "已发放",
        }
    }

    pub fn parse(raw: &str) -> Option<BatchStatus> {
        BatchStatus::ALL
            .into_iter()
            .find(|s| s.label() == raw.trim())
    }
}

impl std::fmt::Display for BatchStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_read_back() {
        for s in ProposalStatus::ALL {
            assert_eq!(ProposalStatus::parse(s.label()), Some(s));
        }
        for s in BatchStatus::ALL {
            assert_eq!(BatchStatus::parse(s.label()), Some(s));
        }
        assert_eq!(ProposalStatus::parse("审核"), None);
    }

    #[test]
    fn each_open_proposal_awaits_one_level() {
        use crate::access::OrgLevel;
        assert_eq!(ProposalStatus::Proposed.awaits(), Some(OrgLevel::Township));
        assert_eq!(ProposalStatus::Checked.awaits(), Some(OrgLevel::County));
        assert_eq!(ProposalStatus::SentBack.awaits(), Some(OrgLevel::School));
        assert_eq!(ProposalStatus::Approved.awaits(), None);
    }
}
crate::labels_in_json!(ProposalStatus as "AidProposalStatus");
crate::labels_in_json!(BatchStatus as "AidBatchStatus");
