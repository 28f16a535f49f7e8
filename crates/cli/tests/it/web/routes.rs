//! The route table walked with every role, and the permission table against it.

use super::*;

/// The body a route gets in the walk (valid, so the scope check is what decides).
fn walk_body(path: &str) -> (Option<&'static str>, String) {
    let form = Some("application/x-www-form-urlencoded");
    match path {
        p if p.starts_with("/api/v1/party/") && p.ends_with("/meetings") => (
            Some("application/json"),
            r#"{"held_on":"2021-07-01","kind":"主题党日","topic":"重温入党誓词","expected":"12","attended":"11"}"#
                .into(),
        ),
        p if p.starts_with("/api/v1/party/") && p.ends_with("/stages") => (
            Some("application/json"),
            format!(
                r#"{{"name":"王五","id_number":"{}","stage":"入党申请人","reached_on":"2021-03-01"}}"#,
                crate::party::person(30)
            ),
        ),
        p if p.ends_with("/status") && p.starts_with("/api") => (
            Some("application/json"),
            r#"{"status":"休学","reason":"走访核实"}"#.into(),
        ),
        p if p.ends_with("/transfer") && p.starts_with("/api") => (
            Some("application/json"),
            format!(r#"{{"school":"{URBAN_PRIMARY}","class":"3","reason":"随父母迁居"}}"#),
        ),
        p if p.starts_with("/api/v1/dropout/cases/") => (
            Some("application/json"),
            r#"{"action":"visit","date":"2021-09-20","kind":"走访","note":"入户走访"}"#.into(),
        ),
        p if p.starts_with("/api/v1/dropout/home-teaching/") => (
            Some("application/json"),
            r#"{"date":"2021-10-08","hours":"2","teacher":"教师甲","content":"生活适应"}"#.into(),
        ),
        p if p.starts_with("/api/v1/double-reduction/institutions/") => (
            Some("application/json"),
            r#"{"status":"停业整顿","happened_on":"2021-09-01","document":"溆教发〔2021〕1号"}"#
                .into(),
        ),
        p if p.starts_with("/api/v1/projects/") && p.ends_with("/investments") => (
            Some("application/json"),
            r#"{"year":"2021","amount":"10","source":"县本级"}"#.into(),
        ),
        p if p.starts_with("/api/v1/projects/") => {
            (Some("application/json"), r#"{"progress":"50"}"#.into())
        }
        "/api/v1/supervision/visits" => (
            Some("application/json"),
            r#"{"title":"责任督学挂牌督导","planned_on":"2021-10-12"}"#.into(),
        ),
        "/api/v1/supervision/assessment/scheme" => (
            Some("application/json"),
            r#"{"year":"2021","items":"教育教学质量，100，督学评分"}"#.into(),
        ),
        "/api/v1/supervision/assessment/scores" => (
            Some("application/json"),
            format!(
                r#"{{"year":"2021","school":"{URBAN_PRIMARY}","scores":{{"教育教学质量":"18"}}}}"#
            ),
        ),
        p if p.starts_with("/api/v1/supervision/assessment/") => {
            (Some("application/json"), r#"{"year":2021}"#.into())
        }
        "/api/v1/documents" => (
            Some("application/json"),
            r#"{"number":"溆教发〔2021〕77号","title":"测试通知","issued_on":"2021-05-01","office":"办公室","category":"通知"}"#
                .into(),
        ),
        p if p.starts_with("/api/v1/incidents/") => (
            Some("application/json"),
            r#"{"kind":"处置","happened_on":"2021-10-01","note":"现场处置"}"#.into(),
        ),
        "/api/v1/incidents" => (
            Some("application/json"),
            format!(
                r#"{{"school":"{URBAN_PRIMARY}","happened_on":"2021-10-01","category":"交通","in_school":"否","deaths":"0","injuries":"1","account":"校外擦伤"}}"#
            ),
        ),
        "/api/v1/vocational/programmes" => (
            Some("application/json"),
            format!(r#"{{"school":"{URBAN_PRIMARY}","name":"电子商务","schooling":"五年制大专"}}"#),
        ),
        "/api/v1/vocational/intakes" => (
            Some("application/json"),
            r#"{"programme":"1","year":"2021","students":"10"}"#.into(),
        ),
        "/api/v1/honours" => (
            Some("application/json"),
            format!(
                r#"{{"subject_kind":"学校","subject":"{URBAN_PRIMARY}","title":"书香校园","kind":"荣誉称号","level":"市级","granted_by":"怀化市教育局","granted_on":"2021-06-01"}}"#
            ),
        ),
        p if p.starts_with("/api/v1/teachers/awards/") => (
            Some("application/json"),
            r#"{"decision":"退回","reason":"事迹不具体"}"#.into(),
        ),
        p if p.starts_with("/api/v1/forms/tasks/") && p.ends_with("/send-back") => {
            (Some("application/json"), r#"{"comment":"请核实"}"#.into())
        }
        p if p.starts_with("/api/v1/forms/tasks/") => (
            Some("application/json"),
            r#"{"answers":{"vaccinated":"0"},"submit":false}"#.into(),
        ),
        "/api/v1/forms/assignments" => (
            Some("application/json"),
            r#"{"code":"covid_vaccination","period":"2022"}"#.into(),
        ),
        "/api/v1/forms" => (Some("application/json"), super::super::forms::FORM.into()),
        "/api/v1/dropout/home-teaching" => (
            Some("application/json"),
            r#"{"id_number":"x","term":"2021-autumn","teachers":"教师甲","plan":"送教"}"#.into(),
        ),
        p if p.ends_with("/status") => (form, "status=%E4%BC%91%E5%AD%A6&reason=%E7%97%85".into()),
        p if p.ends_with("/transfer") => (form, format!("school={URBAN_PRIMARY}&class=3&reason=x")),
        "/admin/users" => (form, "username=walker&role=leader&org=431224".into()),
        // The preface (办公室's), laid out by the start route walked before it.
        "/reports/summary/section" => (form, "section=1&text=x".into()),
        p if p.ends_with("/office") => (form, "office=%E5%AE%89%E5%85%A8".into()),
        p if p.ends_with("/class") => (form, "class=%E4%B8%89%E5%B9%B4%E7%BA%A71%E7%8F%AD".into()),
        "/login" => (form, "username=x&password=y&_csrf=z".into()),
        "/password" => (form, "old=wrong&new=Abcdefg123&confirm=Abcdefg123".into()),
        "/import/confirm" => (form, "upload=students.2021-autumn.ab.xlsx".into()),
        _ => (form, "label=x".into()),
    }
}

/// Every route of the route table, with every role and without login: the declared
/// access is enforced, and records outside the account's scope answer 404.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_with_every_role() {
    let routes = emis_web::route_table();
    let mut checked = 0;
    for who in std::iter::once(None).chain(ROLES.iter().map(Some)) {
        // A fresh county per role: posts change records.
        let f = fixture(sqlite().await).await;
        let mut c = Client::new(&f.app);
        if let Some((name, _, _)) = who {
            assert_eq!(c.login(name, PASSWORD).await.status, StatusCode::SEE_OTHER);
        }
        let mut ordered = routes.clone();
        // Removals run after every other route of their record, logout last.
        ordered.sort_by_key(|r| (r.path == "/logout", r.path.ends_with("/remove")));
        for route in &ordered {
            let duty = match (
                route.path.ends_with("/remove"),
                route.path.starts_with("/api"),
            ) {
                (false, _) => f.duty[0],
                (true, false) => f.duty[1],
                (true, true) => f.duty[2],
            };
            // Each {param} is tried with a record outside every narrow scope; {id} also inside.
            // (key, a record outside every narrow scope, one inside the urban school's)
            let records = [
                ("{id}", f.other_student, Some(f.own_student)),
                ("{case}", f.other_case, None),
                ("{plan}", f.other_plan, None),
                ("{attachment}", f.other_attachment, None),
                ("{hazard}", f.other_hazard, Some(f.own_hazard)),
                ("{evidence}", f.other_evidence, Some(f.own_evidence)),
                ("{ten_file}", f.other_ten_file, Some(f.own_ten_file)),
                ("{water}", f.other_water, Some(f.own_water)),
                ("{link}", duty.other_link, Some(duty.own_link)),
                ("{shift}", duty.other_shift, Some(duty.own_shift)),
                (
                    "{inspection}",
                    duty.other_inspection,
                    Some(duty.own_inspection),
                ),
                (
                    "{staff}",
                    f.teachers.other_staff,
                    Some(f.teachers.own_staff),
                ),
                (
                    "{training}",
                    f.teachers.other_training,
                    Some(f.teachers.own_training),
                ),
                (
                    "{award}",
                    f.teachers.other_award,
                    Some(f.teachers.own_award),
                ),
                ("{conduct_case}", f.teachers.conduct_case, None),
                (
                    "{institution}",
                    f.other_institution,
                    Some(f.own_institution),
                ),
                ("{project}", f.other_project, Some(f.own_project)),
                ("{incident}", f.other_incident, Some(f.own_incident)),
                // Documents are the county's; every reader sees them.
                ("{document}", f.document, None),
                // Studios are county bodies every reading role sees: not keyed by scope.
                ("{studio}", f.teachers.studio, None),
                ("{task}", f.forms.other_task, Some(f.forms.own_task)),
                // An assignment is the county's; each reader sees its own lines of it.
                ("{assignment}", f.forms.assignment, None),
                // 党建: `xiaoxue` is the urban school branch's secretary.
                ("{branch}", f.other_branch, Some(f.own_branch)),
                ("{person}", f.other_person, Some(f.own_person)),
            ];
            let names = [
                ("{code}", TOWN_JUNIOR),
                ("{name}", "leader"),
                ("{file}", "app.css"),
                // A job nobody started: its page is its owner's only (404 for anyone else).
                ("{job}", "0"),
            ];
            let outside = records
                .iter()
                .map(|(key, other, _)| (*key, other.to_string()))
                .chain(names.map(|(key, name)| (key, name.to_string())))
                .fold(route.path.to_string(), |uri, (key, v)| uri.replace(key, &v));
            let mut targets = vec![(outside, true)];
            let own: Vec<(&str, i64)> = records
                .iter()
                .filter_map(|(key, _, own)| own.map(|own| (*key, own)))
                .collect();
            if own.iter().any(|(key, _)| route.path.contains(key)) {
                let inside = own.iter().fold(route.path.to_string(), |uri, (key, own)| {
                    uri.replace(key, &own.to_string())
                });
                targets.push((inside, false));
            }
            for (uri, outside_school) in targets {
                let reply = if route.method == "GET" {
                    c.get(&uri).await
                } else {
                    let (ct, body) = walk_body(route.path);
                    c.send(Method::POST, &uri, ct, body.into_bytes()).await
                };
                let status = reply.status;
                let label = format!("{:?} {} {uri}", who.map(|w| w.0), route.method);
                assert_ne!(
                    status,
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "{label}: {}",
                    reply.body
                );
                match (route.access, who) {
                    (emis_web::Access::Public, _) => assert!(
                        status.is_success()
                            || status.is_redirection()
                            || status == StatusCode::UNPROCESSABLE_ENTITY,
                        "{label}: {status}"
                    ),
                    (_, None) if route.path.starts_with("/api") => {
                        assert_eq!(status, StatusCode::UNAUTHORIZED, "{label}")
                    }
                    (_, None) => assert!(
                        status == StatusCode::SEE_OTHER && reply.location.starts_with("/login"),
                        "{label}: {status}"
                    ),
                    // The gate's answer is the permission table's: refused exactly where
                    // `Role::permits` says no.
                    (emis_web::Access::Permission(p), Some((_, role, _))) if !role.permits(p) => {
                        assert_eq!(status, StatusCode::FORBIDDEN, "{label}: {}", p.label())
                    }
                    // A region account reaches no page of a county's records.
                    (emis_web::Access::SignedIn, Some((_, role, _)))
                        if !role.works_in_a_county() =>
                    {
                        assert_eq!(status, StatusCode::FORBIDDEN, "{label}: a region's account")
                    }
                    // Its home is the roll-up.
                    (emis_web::Access::AnyAccount, Some((_, Role::Region, _)))
                        if route.path == "/" =>
                    {
                        assert_eq!(reply.location, "/region", "{label}")
                    }
                    // A section is its office's: the fixture's officer (资助中心) may not draft
                    // the preface (办公室), and is told so in Chinese; the administrator may.
                    (_, Some((_, role, _))) if route.path == "/reports/summary/section" => {
                        if *role == Role::Officer {
                            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{label}");
                            assert!(
                                reply.body.contains("本节由办公室起草，只有办公室的股室账号和系统管理员可以修改；您的账号属于资助中心"),
                                "{label}: {}",
                                reply.body
                            );
                        } else {
                            assert_eq!(status, StatusCode::SEE_OTHER, "{label}: {}", reply.body);
                        }
                    }
                    // 党建 is per branch: the party office sees all, the branch's secretary
                    // (`xiaoxue`) their own (another branch: 404), everyone else is refused.
                    (_, Some((name, role, _))) if route.path.contains("/party") => {
                        let keyed =
                            route.path.contains("{branch}") || route.path.contains("{person}");
                        if role.permits(Permission::KeepParty) {
                            assert!(
                                ![
                                    StatusCode::UNAUTHORIZED,
                                    StatusCode::FORBIDDEN,
                                    StatusCode::NOT_FOUND
                                ]
                                .contains(&status),
                                "{label}: {status}"
                            );
                        } else if *name == "xiaoxue" && keyed && outside_school {
                            assert_eq!(status, StatusCode::NOT_FOUND, "{label}: another branch");
                        } else if *name == "xiaoxue" {
                            assert!(
                                status.is_success()
                                    || status.is_redirection()
                                    || status == StatusCode::UNPROCESSABLE_ENTITY,
                                "{label}: {status} {}",
                                reply.body.chars().take(200).collect::<String>()
                            );
                        } else {
                            assert_eq!(status, StatusCode::FORBIDDEN, "{label}: not the branch's");
                        }
                    }
                    (_, Some((_, role, _))) => {
                        let narrow = matches!(
                            role,
                            Role::Township | Role::SchoolAdmin | Role::ClassTeacher
                        );
                        let keyed = [
                            "{id}",
                            "{code}",
                            "{hazard}",
                            "{evidence}",
                            "{ten_file}",
                            "{water}",
                            "{case}",
                            "{plan}",
                            "{link}",
                            "{shift}",
                            "{inspection}",
                            "{staff}",
                            "{training}",
                            "{award}",
                            "{conduct_case}",
                            "{institution}",
                            "{task}",
                            "{project}",
                            "{incident}",
                        ]
                        .iter()
                        .any(|k| route.path.contains(k));
                        if narrow && keyed && outside_school && *role != Role::Township {
                            assert_eq!(status, StatusCode::NOT_FOUND, "{label}: outside the scope");
                        } else if *role == Role::Township && keyed && !outside_school {
                            assert_eq!(
                                status,
                                StatusCode::NOT_FOUND,
                                "{label}: the urban school is outside 龙潭镇"
                            );
                        } else {
                            assert!(
                                status != StatusCode::UNAUTHORIZED
                                    && status != StatusCode::NOT_FOUND
                                    || route.path.contains("/api/v1/reports")
                                    || route.path.starts_with("/jobs/"),
                                "{label}: {status} {}",
                                reply.body.chars().take(200).collect::<String>()
                            );
                        }
                    }
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 8 * routes.len(), "walked {checked} requests");
}

/// The permission table and the route table agree: every permission guards at least one
/// route (none is dead), every route is public, signed-in or names one permission, and the
/// gate admits a role exactly when `Role::permits` does.
#[test]
fn every_permission_guards_a_route() {
    let routes = emis_web::route_table();
    for permission in Permission::ALL {
        assert!(
            routes
                .iter()
                .any(|r| r.access == emis_web::Access::Permission(*permission)),
            "{permission:?}（{}）guards no route",
            permission.label()
        );
    }
    for route in &routes {
        for (_, role, _) in ROLES {
            let expected = match route.access {
                emis_web::Access::Public | emis_web::Access::AnyAccount => true,
                emis_web::Access::SignedIn => role != Role::Region,
                emis_web::Access::Permission(p) => role.permits(p),
            };
            assert_eq!(
                route.access.admits(role),
                expected,
                "{} {} for {}",
                route.method,
                route.path,
                role.label()
            );
        }
    }
}
