//! The one integration-test binary (one link on 2 cores): storage, imports, the command
//! line and the demo county, each storage test run on SQLite and on PostgreSQL.

mod support;

mod aid;
mod auth;
mod cli;
mod demo;
mod double_reduction;
mod dropout;
mod enrollment;
mod forms;
mod imports;
mod limits;
mod openapi;
mod party;
mod safety;
mod scope;
mod storage;
mod teachers;
mod web;
