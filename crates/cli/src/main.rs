//! `emis`: the one binary of county-emis (县域教育管理信息系统).
#![forbid(unsafe_code)]

mod cli;
mod forms;

fn main() -> std::process::ExitCode {
    cli::main()
}
