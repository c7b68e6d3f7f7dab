//! A ticket's workflow, pure: which status may follow which, and what a move records (the
//! first response, the resolution, a pause of the SLA clock while the ticket waits on the
//! customer). new -> assigned -> in progress -> waiting on customer -> resolved -> closed, with
//! reopen from resolved or closed.

use super::Status;
use crate::error::Invalid;

/// The statuses a ticket may move to from `from`.
pub fn next(from: Status) -> &'static [Status] {
    use Status::*;
    match from {
        New => &[Assigned, InProgress, Waiting, Resolved],
        Assigned => &[InProgress, Waiting, Resolved],
        InProgress => &[Assigned, Waiting, Resolved],
        Waiting => &[InProgress, Resolved],
        Resolved => &[Closed, InProgress],
        Closed => &[InProgress],
    }
}

/// What a move does besides setting the status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Effects {
    /// The team answered for the first time (its first-response clock stops).
    pub first_response: bool,
    /// The SLA clock stops (waiting on the customer) or starts again.
    pub pause_starts: bool,
    pub pause_ends: bool,
    /// Resolved now; a reopen clears the resolution (its clock runs again).
    pub resolved: bool,
    pub reopened: bool,
    pub closed: bool,
}

/// Checks a move and says what it records; `answered` is whether the first response is already
/// recorded. A move the workflow does not allow is refused naming the statuses it allows.
pub fn move_to(from: Status, to: Status, answered: bool) -> Result<Effects, Invalid> {
    if !next(from).contains(&to) {
        let allowed = next(from).iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ");
        return Err(Invalid::OneOf { value: to.as_str().into(), allowed });
    }
    let engaged = matches!(to, Status::InProgress | Status::Waiting | Status::Resolved);
    Ok(Effects {
        first_response: engaged && !answered,
        pause_starts: to == Status::Waiting,
        pause_ends: from == Status::Waiting,
        resolved: to == Status::Resolved,
        reopened: matches!(from, Status::Resolved | Status::Closed) && to == Status::InProgress,
        closed: to == Status::Closed,
    })
}

/// A satisfaction rating: 1 to 5.
pub fn rating(r: u8) -> Result<u8, Invalid> {
    if (1..=5).contains(&r) {
        Ok(r)
    } else {
        Err(Invalid::OutOfRange { min: 1, max: 5 })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Status::*;

    #[test]
    fn the_workflow_table() {
        // (from, to, allowed)
        let cases = [
            (New, Assigned, true),
            (New, Closed, false),
            (New, New, false),
            (Assigned, InProgress, true),
            (Assigned, New, false),
            (InProgress, Waiting, true),
            (Waiting, InProgress, true),
            (Waiting, Closed, false),
            (Resolved, Closed, true),
            (Resolved, InProgress, true),
            (Closed, InProgress, true),
            (Closed, Resolved, false),
        ];
        for (from, to, allowed) in cases {
            assert_eq!(move_to(from, to, false).is_ok(), allowed, "{from:?} -> {to:?}");
        }
        let refused = move_to(New, Closed, false).unwrap_err();
        assert_eq!(refused, Invalid::OneOf { value: "closed".into(), allowed: "assigned, in_progress, waiting, resolved".into() });
    }

    #[test]
    fn a_move_records_the_first_response_pauses_and_reopens() {
        let e = move_to(Assigned, InProgress, false).unwrap();
        assert!(e.first_response && !e.pause_starts && !e.resolved);
        assert!(!move_to(Assigned, InProgress, true).unwrap().first_response, "answered once");
        assert!(!move_to(New, Assigned, false).unwrap().first_response, "assigning is not answering");
        let wait = move_to(InProgress, Waiting, true).unwrap();
        assert!(wait.pause_starts && !wait.pause_ends);
        let back = move_to(Waiting, InProgress, true).unwrap();
        assert!(back.pause_ends && !back.pause_starts);
        let solved_while_waiting = move_to(Waiting, Resolved, true).unwrap();
        assert!(solved_while_waiting.pause_ends && solved_while_waiting.resolved);
        let reopen = move_to(Closed, InProgress, true).unwrap();
        assert!(reopen.reopened && !reopen.closed);
        assert!(move_to(Resolved, Closed, true).unwrap().closed);
        assert_eq!(rating(5), Ok(5));
        assert_eq!(rating(0), Err(Invalid::OutOfRange { min: 1, max: 5 }));
        assert_eq!(rating(6), Err(Invalid::OutOfRange { min: 1, max: 5 }));
    }
}
