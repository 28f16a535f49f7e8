//! `emis`: the one binary of county-emis (县域教育管理信息系统).
#![forbid(unsafe_code)]

mod cli;
mod forms;

/// mimalloc, not the system's malloc: a page of the web server is hundreds of small
/// allocations, and glibc's malloc took a third of the server's time under load (see
/// `docs/postgresql.md`, the student list).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cli::main()
}
