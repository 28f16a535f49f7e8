//! The one integration-test binary (one link on 2 cores): storage, imports, the command
//! line and the demo county, each storage test run on SQLite and on PostgreSQL.

mod support;

mod aid;
mod auth;
mod cli;
mod demo;
mod documents;
mod double_reduction;
mod dropout;
mod enrollment;
mod forms;
mod honours;
mod imports;
mod incidents;
mod limits;
mod national;
mod openapi;
mod party;
mod projects;
mod region;
mod safety;
mod scope;
mod storage;
mod summary;
mod supervision;
mod teachers;
mod vocational;
mod web;
