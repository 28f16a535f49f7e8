//! The default template: the structure of the bureau's annual summary (the seed: 一、 the
//! year's work by area, 二、 results and highlights), with a sentence for every figure the
//! product computes. Written anew for the template, not copied: each office edits its own
//! sections from here.

/// The default 年度工作总结 template (see [`super::parse`] for the syntax).
pub const DEFAULT_TEMPLATE: &str = r"{year}年，在县委、县政府的坚强领导下，在上级教育行政部门的关心指导下，全县教育系统坚持立德树人根本任务，围绕办好人民满意的教育，稳步推进各项工作。年末全县学籍在册学生{students.enrolled}人，在册教职工{staff.total}人，其中专任教师{staff.teachers}人。

# {year}年度工作开展情况 @办公室
### 坚持党建引领，加强党对教育工作的全面领导 @党建
扎实开展党史学习教育，持续抓好党支部“三会一课”、主题党日和新党员培养等基础工作，基层党建水平稳步提升。全年共培养入党积极分子{party.activists}人，发展预备党员{party.probationary}人，预备党员按期转正{party.confirmed}人。
### 改善办学条件，夯实民生根基 @计财
全年教育项目建设完成投资{projects.investment|亿元}，当年竣工的项目新增教师周转宿舍{staff_housing.units}套，办学条件持续改善。
### 落实资助政策，做到应助尽助 @资助中心
严格落实各项学生资助政策，全年共资助学生{aid.person_times}人次，发放资助资金{aid.amount|万元}；按政策目录与学籍比对，符合条件而未获资助的为{aid.missed}人次。
### 控辍保学与大班额化解，保障应学尽学 @基础教育
持续开展控辍保学行动，对因病、因残不能到校的学生实施送教上门，春季学期送教{dropout.home_teaching.spring}人，秋季学期送教{dropout.home_teaching.autumn}人。户籍适龄人口与学籍比对发现疑似辍学{dropout.suspected}人，年末尚未销号{dropout.unresolved}人。春季学期义务教育大班额{classes.large.compulsory.spring}个（含超大班额{classes.oversize.compulsory.spring}个）、普通高中大班额{classes.large.senior.spring}个（含超大班额{classes.oversize.senior.spring}个）；至秋季学期，义务教育大班额为{classes.large.compulsory.autumn}个，普通高中大班额为{classes.large.senior.autumn}个。
学前教育普及普惠稳步推进，公办园在园幼儿占比{preschool.public_share}，普惠性幼儿园覆盖率{preschool.inclusive_share}。
### 落实立德树人，促进学生全面发展 @体卫艺
坚持五育并举，广泛开展体育、艺术和阅读活动。全年新增全国青少年校园足球特色学校{schools.titled.football}所、全国青少年校园篮球特色学校{schools.titled.basketball}所，{schools.titled.reading}所学校获评“书香校园”。
### 抓实职教改革，推进职业教育发展 @职成
深化产教融合与校校合作，五年制大专全年招收学生{vocational.five_year_intake}人，当年竣工的项目新增中职学位{degrees.added.vocational}个。
### 深化管理改革，全面落实“双减” @督导
持续深化校外培训机构治理，依法关停无证培训机构{double_reduction.institutions.closed}家，注销学科类培训机构{double_reduction.institutions.deregistered}家，转型{double_reduction.institutions.transformed}家。全面推行课后服务，义务教育学校课后服务开展率{after_school.coverage}，服务时间达标率{after_school.time_compliance}，学生参与率{after_school.participation}。
### 加强安全管理，筑牢教育“防火墙” @安全
坚持每月开展安全隐患排查并建立整改台账，全年排查发现各类安全隐患{safety.hazards.found}个，整改销号{safety.hazards.rectified}个，年末逾期未整改{safety.hazards.overdue}个。全年登记安全事故{safety.incidents}起，其中在校期间{safety.incidents.in_school}起。

# 主要成效及亮点 @办公室
### 加强教师队伍建设，促进教育发展 @人事
一是全面补充师资力量。全年通过多种渠道共补充教师{staff.recruited}人，其中特岗招聘{staff.recruited.tegang}人、面向社会公开招聘{staff.recruited.open}人、安置公费师范生{staff.recruited.funded_normal}人、外县调入{staff.recruited.transfer}人；选拔{staff.funded_normal.selected}名学生进行公费师范生定向培养。二是打造高素质教师队伍。年末运行名师名校长工作室{staff.studios.master}个、学科工作室{staff.studios.subject}个，全年开展教师培训{staff.training.person_times}人次，参训教师{staff.training.persons}人。三是大力表彰优秀教师。全年表彰优秀教师{staff.awarded}人次，发放奖励资金{staff.award_amount|万元}。
### 多渠道为民办实事，改善群众就学条件 @计财
抓实项目建设，当年竣工的项目新增义务教育学位{degrees.added.compulsory}个、高中及中职学位{degrees.added.senior}个、公办学前教育学位{degrees.added.preschool_public}个。
### 抓实学生防溺水工作，守牢安全底线 @安全
落实“九长”责任制和“十有制”，重点水域防护设施到位率{drowning.waters.equipped}，暑期重点水域巡查达标率{drowning.patrol.compliance}，致家长一封信签收率{drowning.letters.signed}。全年溺水死亡{drowning.deaths}人。
";
