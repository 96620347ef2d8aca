#include "core/demo_data.h"

#include <algorithm>
#include <map>
#include <set>
#include <string_view>

#include "core/billing.h"
#include "core/ids.h"
#include "core/leads.h"
#include "core/money.h"
#include "core/quotes.h"
#include "core/settings.h"
#include "core/time.h"

namespace cl::demo {

namespace {

// [SECTION] Vocabulary ---------------------------------------------------------------------------

struct City {
  const char* name;    // 杭州
  const char* region;  // tag value (default_settings region values)
  const char* area_code;
  std::vector<const char*> districts;
};

struct TeamDef {
  const char* name;
  const char* region;
  std::vector<City> cities;
};

const std::vector<TeamDef>& team_defs() {
  static const std::vector<TeamDef> defs = {
      {"杭州一组", "杭州",
       {{"杭州", "杭州", "0571",
         {"西湖区", "拱墅区", "上城区", "滨江区", "萧山区", "余杭区", "临平区", "富阳区", "临安区", "桐庐县", "淳安县", "建德市"}}}},
      {"嘉湖组", "嘉兴",
       {{"嘉兴", "嘉兴", "0573", {"南湖区", "秀洲区", "海宁市", "桐乡市", "平湖市", "嘉善县", "海盐县"}},
        {"湖州", "湖州", "0572", {"吴兴区", "南浔区", "德清县", "长兴县", "安吉县"}}}},
      {"宁波组", "宁波",
       {{"宁波", "宁波", "0574", {"海曙区", "江北区", "鄞州区", "北仑区", "镇海区", "奉化区", "余姚市", "慈溪市", "宁海县", "象山县"}},
        {"绍兴", "绍兴", "0575", {"越城区", "柯桥区", "上虞区", "诸暨市", "嵊州市", "新昌县"}},
        {"舟山", "舟山", "0580", {"定海区", "普陀区", "岱山县"}}}},
      {"温州组", "温州",
       {{"温州", "温州", "0577", {"鹿城区", "龙湾区", "瓯海区", "洞头区", "瑞安市", "乐清市", "永嘉县", "平阳县", "苍南县"}},
        {"台州", "台州", "0576", {"椒江区", "黄岩区", "路桥区", "临海市", "温岭市", "玉环市", "天台县"}}}},
  };
  return defs;
}

const char* const kSurnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡",
                                 "郭", "何", "林", "罗", "高", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹",
                                 "彭", "曾", "潘", "袁", "蒋", "蔡", "余", "杜", "叶", "程", "沈", "钱", "方", "戴", "俞"};
const char* const kGiven[] = {"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛",
                              "明", "超", "秀英", "霞", "平", "刚", "桂英", "建华", "晓东", "海燕", "志强", "国平", "建军",
                              "丹", "萍", "鹏", "辉", "玲", "斌", "宇", "浩", "凯", "晨", "欣怡", "子涵", "文博", "思远",
                              "雪梅", "春华", "立新", "卫东", "晓峰", "慧", "琳", "婷"};
const char* const kBrandA[] = {"康", "华", "瑞", "恒", "安", "博", "仁", "德", "信", "诚", "新", "天", "中", "金", "宏",
                               "泰", "和", "永", "明", "正", "佳", "众", "百", "盛", "元", "宇"};
const char* const kBrandB[] = {"泽", "达", "宁", "美", "源", "景", "禾", "健", "诺", "晟", "辉", "通", "远", "丰", "益",
                               "升", "卓", "汇", "邦", "润", "鑫", "祥", "瑞", "和", "安", "康"};
const char* const kDistributorIndustry[] = {"医疗器械", "医药", "生物科技", "医疗科技", "健康科技", "医学设备", "卫生材料", "医用耗材"};
const char* const kCompanySuffix[] = {"有限公司", "有限公司", "有限公司", "有限责任公司", "股份有限公司"};
const char* const kClinicKind[] = {"口腔门诊部", "口腔诊所", "骨科诊所", "中医诊所", "眼科诊所", "医疗美容门诊部", "综合门诊部", "康复医学门诊部"};
const char* const kNumbers[] = {"第一", "第二", "第三", "第四", "第五", "第六", "第七"};

struct TypeDef {
  const char* tag;
  int weight;
  std::vector<const char*> titles;
  std::vector<const char*> businesses;
};

const std::vector<TypeDef>& type_defs() {
  static const std::vector<TypeDef> defs = {
      {"三甲医院", 8, {"设备科主任", "采购处处长", "骨科主任", "副院长", "耗材管理办公室主任"}, {"综合医疗服务", "三级综合医院诊疗服务"}},
      {"二级医院", 12, {"设备科科长", "院长", "采购科科长", "骨科主任"}, {"二级综合医院诊疗服务", "中医医疗服务", "妇幼保健服务"}},
      {"民营医院", 10, {"院长", "采购主管", "运营副总"}, {"骨科专科医疗", "眼科专科医疗", "综合医疗服务"}},
      {"民营诊所", 35, {"院长", "负责人", "主诊医生"}, {"口腔诊疗", "骨科门诊", "中医诊疗", "眼科门诊", "医疗美容"}},
      {"体检中心", 5, {"中心主任", "采购经理"}, {"健康体检服务"}},
      {"经销商", 30, {"总经理", "采购经理", "副总经理", "业务总监"}, {"医疗器械批发", "医用耗材配送", "医院设备集成与维保"}},
  };
  return defs;
}

const char* const kChannels[] = {"展会", "转介绍", "电话开发", "线上咨询", "市场活动", "老客户"};

struct ProductDef {
  const char* code;
  const char* name;
  const char* category;
  int cycle_months;
  const char* replacement;
  std::int64_t price_yuan;
};

const std::vector<ProductDef>& product_defs() {
  static const std::vector<ProductDef> defs = {
      {"GK-ZR-14", "骨科植入耗材（锁定接骨板）", "骨科耗材", 14, "GK-ZR-15", 3800},
      {"GK-ZR-15", "骨科植入耗材（新一代锁定接骨板）", "骨科耗材", 14, "", 4200},
      {"GK-DG-08", "脊柱钉棒系统", "骨科耗材", 12, "", 12800},
      {"SS-WH-60", "一次性使用吻合器", "手术耗材", 6, "SS-WH-70", 1650},
      {"SS-WH-70", "一次性使用电动吻合器", "手术耗材", 6, "", 2380},
      {"XD-DL-200", "低温等离子灭菌器", "消毒设备", 36, "XD-DL-300", 268000},
      {"XD-DL-300", "低温等离子灭菌器（大容量）", "消毒设备", 36, "", 356000},
      {"JH-M8", "多参数监护仪", "医疗设备", 60, "JH-M9", 46000},
      {"JH-M9", "多参数监护仪（插件式）", "医疗设备", 60, "", 58000},
      {"HX-GL-02", "一次性呼吸机管路", "呼吸耗材", 4, "", 95},
      {"KQ-ZZ-35", "口腔种植体系统", "口腔耗材", 9, "KQ-ZZ-40", 2600},
      {"KQ-ZZ-40", "口腔种植体系统（亲水表面）", "口腔耗材", 9, "", 3100},
      {"YK-IOL-A", "人工晶体（非球面）", "眼科耗材", 12, "", 1980},
      {"JC-XT-50", "血糖检测试纸（50片）", "检验试剂", 3, "", 68},
  };
  return defs;
}

// Which products a customer type buys (indices into product_defs; current-generation first).
std::vector<int> products_for_type(const std::string& type) {
  if (type == "民营诊所") return {10, 11, 12, 13, 3, 0};
  if (type == "体检中心") return {13, 7, 9};
  if (type == "经销商") return {0, 1, 2, 3, 4, 9, 10, 13};
  return {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 13};
}

const char* const kLostReasons[] = {"预算冻结", "选择了竞品（价格更低）", "院内招标未中标", "项目取消", "决策人变动"};
const char* const kBackReasons[] = {"客户调整了需求范围", "科室要求重新评估方案", "报价需按新预算重做"};

// [SECTION] Generator state ----------------------------------------------------------------------

struct Params {
  int customers, opportunities, activities, other_leads;
};

class Generator {
 public:
  Generator(Scale scale, std::uint64_t seed, Instant now)
      : rng_(seed ^ 0xC105E100C105E100ULL), now_(now), today_(beijing_date(now)) {
    p_ = scale == Scale::Demo ? Params{2000, 3000, 30000, 400} : Params{50000, 100000, 500000, 8000};
    large_ = scale == Scale::Large;
  }

  Dataset run() {
    d_.settings = default_settings();
    make_people();
    make_products();
    make_customers();
    make_marketing_list();
    make_other_leads();
    make_opportunities();
    make_recent_field_work();
    make_filler_activities();
    make_targets();
    make_handover_history();
    std::stable_sort(d_.activities.begin(), d_.activities.end(),
                     [](const Activity& a, const Activity& b) { return a.at < b.at; });
    return std::move(d_);
  }

 private:
  SplitMix64 rng_;
  Instant now_;
  Date today_;
  Params p_{};
  bool large_ = false;
  Dataset d_;
  UuidV7State id_state_;
  std::vector<std::vector<int>> reps_of_team_;   // indices into d_.users
  std::vector<int> customer_team_;                // team index per customer
  std::set<std::string> used_names_;
  std::uint64_t phone_counter_ = 0;
  std::uint64_t code_seq_ = 0;
  int quote_seq_ = 0, contract_seq_ = 0, invoice_seq_ = 0;
  std::map<Id, int> user_index_;

  // --- helpers ----------------------------------------------------------------------------------
  Id new_id(Instant at) {
    RandomBytes10 bytes;
    std::uint64_t a = rng_.next(), b = rng_.next();
    for (int i = 0; i < 8; ++i) bytes[i] = static_cast<std::uint8_t>(a >> (8 * i));
    bytes[8] = static_cast<std::uint8_t>(b);
    bytes[9] = static_cast<std::uint8_t>(b >> 8);
    return uuid_v7(at, bytes);
  }
  template <class T, std::size_t N>
  const T& pick(const T (&arr)[N]) { return arr[rng_.below(N)]; }
  template <class T>
  const T& pick(const std::vector<T>& v) { return v[rng_.below(v.size())]; }
  Instant between(Instant lo, Instant hi) { return hi <= lo ? lo : rng_.between(lo, hi); }

  // The order of random draws must not depend on the compiler: operands of `+` and function
  // arguments are unsequenced (GCC and clang evaluate them in different orders, so the native and
  // wasm demo data differed). Elements of a braced list are evaluated left to right.
  static std::string cat(std::initializer_list<std::string_view> parts) {
    std::string out;
    for (auto p : parts) out += p;
    return out;
  }
  std::string person_name() { return cat({pick(kSurnames), pick(kGiven)}); }

  // Unique 8-digit tails (a bijection of a counter mod 10^8: 7919 is coprime to 10), so no two demo
  // customers share a phone and the duplicate check stays quiet on demo data.
  std::string eight_digits() {
    std::uint64_t v = (phone_counter_++ * 7919ULL + 30'000'000ULL) % 100'000'000ULL;
    std::string s = std::to_string(v);
    return std::string(8 - s.size(), '0') + s;
  }
  std::string mobile() {
    static const char* const kPrefixes[] = {"138", "139", "135", "136", "137", "150", "151", "158", "159", "188", "186", "187", "177", "199"};
    return std::string(pick(kPrefixes)) + eight_digits();
  }
  std::string landline(const City& c) { return std::string(c.area_code) + "-" + eight_digits(); }

  std::string sha256_like() {
    static const char* kHex = "0123456789abcdef";
    std::string s(64, '0');
    for (int i = 0; i < 64; i += 16) {
      std::uint64_t v = rng_.next();
      for (int j = 0; j < 16; ++j) s[i + j] = kHex[(v >> (4 * j)) & 15];
    }
    return s;
  }

  const User& user(const Id& id) { return d_.users[user_index_.at(id)]; }

  // --- people -----------------------------------------------------------------------------------
  void add_user(const std::string& username, const std::string& display, Role role, const Id& team, bool active = true) {
    User u;
    u.id = new_id(now_ - 800 * kDay);
    u.username = username;
    u.display_name = display;
    u.role = role;
    u.team_id = team;
    u.phone = mobile();
    u.email = username + "@closeloop.example.cn";
    u.active = active;
    user_index_[u.id] = static_cast<int>(d_.users.size());
    d_.users.push_back(std::move(u));
  }

  void make_people() {
    add_user("admin", "系统管理员", Role::Admin, "");
    const auto& defs = team_defs();
    for (size_t t = 0; t < defs.size(); ++t) {
      Team team;
      team.id = new_id(now_ - 800 * kDay);
      team.name = defs[t].name;
      team.region = defs[t].region;
      d_.teams.push_back(team);
    }
    for (size_t t = 0; t < defs.size(); ++t) {
      add_user("manager" + std::to_string(t + 1), person_name() + "（" + defs[t].name + "主管）", Role::Manager, d_.teams[t].id);
      d_.teams[t].manager_id = d_.users.back().id;
    }
    reps_of_team_.resize(defs.size());
    for (int r = 1; r <= 28; ++r) {
      const size_t t = static_cast<size_t>((r - 1) / 7);
      add_user("rep" + std::to_string(r), person_name(), Role::Rep, d_.teams[t].id);
      reps_of_team_[t].push_back(static_cast<int>(d_.users.size() - 1));
    }
    add_user("former1", person_name() + "（已离职）", Role::Rep, d_.teams[0].id, false);
  }

  // --- products and price lists -----------------------------------------------------------------
  void make_products() {
    for (const auto& p : product_defs()) {
      Product prod;
      prod.id = new_id(now_ - 800 * kDay);
      prod.model_code = p.code;
      prod.name = p.name;
      prod.category = p.category;
      prod.usage_cycle_months = p.cycle_months;
      prod.replacement_model_code = p.replacement;
      d_.products.push_back(prod);
    }
    // One list per calendar year (prices up ~3 % a year), plus a mid-year adjustment this year that
    // raises the consumables 2 % — so "the list valid on the day" matters.
    const int this_year = today_.year;
    for (int y = this_year - 3; y <= this_year + 1; ++y) {
      PriceList l;
      l.id = new_id(beijing_midnight({y - 1, 12, 1}) > now_ ? now_ - kDay : beijing_midnight({y - 1, 12, 1}));
      l.name = std::to_string(y) + " 年度价目表";
      l.valid_from = {y, 1, 1};
      l.valid_to = {y, 12, 31};
      for (size_t i = 0; i < d_.products.size(); ++i) {
        std::int64_t fen = product_defs()[i].price_yuan * 100;
        fen = mul_div_round(fen, 100 + 3 * (y - this_year) + 100, 200);  // ~3 % per year around this year
        l.items.push_back({d_.products[i].id, Money{fen}});
      }
      d_.price_lists.push_back(std::move(l));
    }
    PriceList mid = d_.price_lists[3];  // this year's list
    mid.id = new_id(beijing_midnight({this_year, 6, 20}) > now_ ? now_ - kDay : beijing_midnight({this_year, 6, 20}));
    mid.name = std::to_string(this_year) + " 下半年耗材调价";
    mid.valid_from = {this_year, 7, 1};
    for (size_t i = 0; i < mid.items.size(); ++i)
      if (product_defs()[i].price_yuan < 10000) mid.items[i].list_price = Money{mul_div_round(mid.items[i].list_price.fen, 102, 100)};
    d_.price_lists.push_back(std::move(mid));
  }

  Money list_price_on(const Id& product_id, Date day) {
    const PriceList* l = price_list_on(d_.price_lists, day);
    if (l)
      for (const auto& i : l->items)
        if (i.product_id == product_id) return i.list_price;
    return {};
  }

  // --- customers --------------------------------------------------------------------------------
  struct Profile {
    Customer c;
    int team = 0;
    const City* city = nullptr;
  };

  // Name unique after the city prefix is stripped (what duplicate detection compares).
  bool claim(const std::string& key) { return used_names_.insert(key).second; }

  // May change `type` when that kind's realistic names are used up (only happens at the large scale,
  // e.g. more 三甲 hospitals than a province has): the customer then becomes a clinic or distributor.
  std::string org_name(std::string& type, const City& city, const char* district) {
    const std::string cityname = city.name;
    for (int attempt = 0; attempt < 12; ++attempt) {
      if (attempt == 4) type = rng_.chance(500) ? "经销商" : "民营诊所";
      std::string name, key;
      std::string brand = cat({pick(kBrandA), pick(kBrandB)});
      if (attempt >= 4 || (large_ && rng_.chance(500))) brand += pick(kBrandB);
      if (type == "三甲医院") {
        const int k = static_cast<int>(rng_.below(4));
        if (k == 0) name = cityname + "市" + pick(kNumbers) + "人民医院";
        else if (k == 1) name = cityname + "市中心医院" + (attempt ? std::string(district) + "院区" : "");
        else if (k == 2) name = cityname + "市中医院" + (attempt ? std::string(district) + "院区" : "");
        else name = std::string(district) + "人民医院";
      } else if (type == "二级医院") {
        static const char* const kKinds[] = {"第二人民医院", "中医院", "妇幼保健院", "中西医结合医院", "骨伤科医院", "第三人民医院"};
        name = std::string(district) + pick(kKinds);
      } else if (type == "民营医院") {
        static const char* const kKinds[] = {"医院", "骨科医院", "眼科医院", "中医医院"};
        name = cityname + brand + pick(kKinds);
      } else if (type == "民营诊所") {
        name = cityname + std::string(district) + brand + pick(kClinicKind);
      } else if (type == "体检中心") {
        name = cityname + brand + "健康体检中心" + pick(kCompanySuffix);
      } else {
        name = cat({cityname, brand, pick(kDistributorIndustry), pick(kCompanySuffix)});
      }
      key = name.rfind(cityname + "市", 0) == 0 ? name.substr(cityname.size() + 3)
            : name.rfind(cityname, 0) == 0      ? name.substr(cityname.size())
                                                : name;
      // the legal-form suffix is not a distinguishing part either
      for (const char* suffix : {"股份有限公司", "有限责任公司", "有限公司"}) {
        const std::string s = suffix;
        if (key.size() > s.size() && key.compare(key.size() - s.size(), s.size(), s) == 0) { key.resize(key.size() - s.size()); break; }
      }
      if (claim(key)) return name;
    }
    // Exhausted the realistic patterns (only at the large scale): a branch number keeps it unique.
    for (int n = 2;; ++n) {
      std::string name = cat({cityname, district, pick(kBrandA), pick(kBrandB), pick(kDistributorIndustry), "第",
                              std::to_string(n), "分公司"});
      if (claim(name)) return name;
    }
  }

  Profile make_profile(int team, Instant created_at) {
    Profile p;
    p.team = team;
    const auto& tdef = team_defs()[static_cast<size_t>(team)];
    // the team's home city gets most customers
    p.city = rng_.chance(650) ? &tdef.cities[0] : &pick(tdef.cities);
    const char* district = pick(p.city->districts);
    int total = 0;
    for (const auto& t : type_defs()) total += t.weight;
    int roll = static_cast<int>(rng_.below(static_cast<std::uint64_t>(total)));
    std::string type_tag = type_defs()[0].tag;
    for (const auto& t : type_defs()) {
      if (roll < t.weight) { type_tag = t.tag; break; }
      roll -= t.weight;
    }
    Customer& c = p.c;
    c.meta.created_at = c.meta.updated_at = created_at;
    c.name = org_name(type_tag, *p.city, district);
    const TypeDef* type = &type_defs()[0];
    for (const auto& t : type_defs())
      if (type_tag == t.tag) type = &t;
    c.decision_maker = person_name();
    c.decision_maker_title = pick(type->titles);
    const bool institution = std::string(type->tag).find("医院") != std::string::npos;
    c.phone = institution ? landline(*p.city) : mobile();
    c.main_business = pick(type->businesses);
    c.address = cat({"浙江省", p.city->name, "市", district, pick(kBrandA), pick(kBrandB), "路",
                     std::to_string(rng_.between(1, 999)), "号"});
    const int extra = static_cast<int>(rng_.below(3));
    static const char* const kContactTitles[] = {"采购专员", "科室护士长", "库管", "财务", "设备工程师"};
    for (int i = 0; i < extra; ++i) c.contacts.push_back({person_name(), pick(kContactTitles), mobile(), false});
    c.tags["customer_type"] = type->tag;
    c.tags["region"] = p.city->region;
    c.tags["first_channel"] = pick(kChannels);
    c.contact_authorised = rng_.chance(700);
    return p;
  }

  const User& rep_of_team(int team) { return d_.users[static_cast<size_t>(pick(reps_of_team_[static_cast<size_t>(team)]))]; }

  void push_customer(Profile p, const Id& owner) {
    Customer& c = p.c;
    if (c.meta.id.empty()) c.meta.id = new_id(c.meta.created_at);
    c.meta.owner_id = owner;
    c.meta.version = 1;
    c.code = customer_code(0, ++code_seq_);
    customer_team_.push_back(p.team);
    // R8/scorecard #1: the first contact, usually within 24 h of creation.
    const Instant first = c.meta.created_at + (rng_.chance(920) ? between(30 * kMinute, 20 * kHour) : between(26 * kHour, 120 * kHour));
    if (first < now_) add_activity(rng_.chance(500) ? ActivityKind::Call : ActivityKind::Visit, first, owner, c.meta.id, "", "",
                                   "首次沟通：了解" + c.main_business + "需求", "约定下次拜访");
    d_.customers.push_back(std::move(c));
  }

  void make_customers() {
    const int n = p_.customers - 11;  // 11 more come from the marketing list's conversions
    const Instant start = now_ - 720 * kDay;
    for (int i = 0; i < n; ++i) {
      const int team = i % 4;
      // growth: later customers are denser (sqrt-ish ramp via max of two draws)
      const Instant t1 = between(start, now_ - 2 * kHour);
      const Instant t = std::max(t1, between(start, now_ - 2 * kHour));
      Profile p = make_profile(team, t);
      push_customer(std::move(p), rep_of_team(team).id);
    }
  }

  // --- leads ------------------------------------------------------------------------------------
  Lead lead_from_profile(const Profile& p, const std::string& source, Instant imported_at, const Id& batch) {
    Lead l;
    l.meta.id = new_id(imported_at);
    l.meta.created_at = l.meta.updated_at = imported_at;
    l.company = p.c.name;
    l.contact_name = p.c.decision_maker;
    l.phone = p.c.phone;
    l.source = source;
    l.region = p.c.tags.at("region");
    l.import_batch_id = batch;
    l.imported_at = imported_at;
    return l;
  }

  // The seed's first break: 200 leads, 63 touched, 11 converted, 137 never touched.
  void make_marketing_list() {
    const Instant imported = now_ - 45 * kDay;
    const Id batch = new_id(imported);
    std::vector<int> touched(200, 0);
    for (int i = 0; i < 200; ++i) touched[static_cast<size_t>(i)] = i < 63;
    for (int i = 199; i > 0; --i) std::swap(touched[static_cast<size_t>(i)], touched[rng_.below(static_cast<std::uint64_t>(i + 1))]);
    int converted = 0, touched_seen = 0;
    for (int i = 0; i < 200; ++i) {
      const int team = static_cast<int>(rng_.below(4));
      Profile p = make_profile(team, imported);
      Lead l = lead_from_profile(p, kMarketingListSource, imported, batch);
      const User& rep = rep_of_team(team);
      l = assign_lead(l, rep, imported + between(kHour, 20 * kHour)).value;
      if (!touched[static_cast<size_t>(i)]) {
        d_.leads.push_back(std::move(l));
        continue;
      }
      ++touched_seen;
      const Instant touch_at = l.assigned_at + between(2 * kHour, 10 * kDay);
      l = record_touch(l, rep.id, touch_at, "电话沟通，了解采购计划").value;
      add_activity(ActivityKind::Call, touch_at, rep.id, "", "", l.meta.id, "市场部名单线索首次电话", "已触达");
      if (converted < 11 && (touched_seen % 5 == 0 || 63 - touched_seen < 11 - converted)) {
        ++converted;
        const Instant at = touch_at + between(kDay, 6 * kDay);
        LeadConversionInput in;
        in.customer_id = new_id(at);
        in.opportunity_id = new_id(at);
        in.decision_maker_title = p.c.decision_maker_title;
        in.main_business = p.c.main_business;
        in.tags = p.c.tags;
        in.tags["first_channel"] = "市场活动";
        in.opportunity_title = p.c.name + " 市场活动转化商机";
        in.converted_by = rep.id;
        auto r = convert_lead(l, in, d_.settings, at);
        if (r) {
          Profile cp = p;
          cp.c = r.value.customer;
          cp.c.address = p.c.address;
          cp.c.contacts = p.c.contacts;
          cp.c.contact_authorised = p.c.contact_authorised;
          push_customer(std::move(cp), rep.id);
          pending_opps_.push_back(r.value.opportunity);
          l = r.value.lead;
        }
      } else if (rng_.chance(250)) {
        l = drop_lead(l, pick(std::vector<const char*>{"暂无采购计划", "已有固定供应商", "联系人已离职"}), touch_at + kDay).value;
      } else if (rng_.chance(300)) {
        l = qualify_lead(l, touch_at + 2 * kDay).value;
      }
      d_.leads.push_back(std::move(l));
    }
  }

  void make_other_leads() {
    static const char* const kSources[] = {"官网咨询", "老客户转介绍", "医疗器械博览会", "学术会议"};
    for (int i = 0; i < p_.other_leads; ++i) {
      const Instant imported = between(now_ - 400 * kDay, now_ - kHour);
      const int team = static_cast<int>(rng_.below(4));
      Profile p = make_profile(team, imported);
      Lead l = lead_from_profile(p, pick(kSources), imported, "");
      const Instant assigned = imported + between(10 * kMinute, 30 * kHour);
      if (assigned >= now_) { d_.leads.push_back(std::move(l)); continue; }
      const User& rep = rep_of_team(team);
      l = assign_lead(l, rep, assigned).value;
      const Instant touch_at = assigned + between(kHour, 4 * kDay);
      if (touch_at < now_ && rng_.chance(750)) {
        l = record_touch(l, rep.id, touch_at, "已电话沟通").value;
        if (rng_.chance(300)) l = qualify_lead(l, std::min(now_, touch_at + kDay)).value;
        else if (rng_.chance(300)) l = drop_lead(l, "需求不匹配", std::min(now_, touch_at + kDay)).value;
      }
      d_.leads.push_back(std::move(l));
    }
  }

  // --- activities -------------------------------------------------------------------------------
  void add_activity(ActivityKind kind, Instant at, const Id& owner, const Id& customer, const Id& opp, const Id& lead,
                    std::string summary, std::string outcome) {
    if (at >= now_) return;
    Activity a;
    a.meta.id = new_id(at);
    a.meta.owner_id = owner;
    a.meta.created_at = a.meta.updated_at = at + between(0, 30 * kMinute) < now_ ? at + between(0, 30 * kMinute) : at;
    a.meta.version = 1;
    a.kind = kind;
    a.at = at;
    a.customer_id = customer;
    a.opportunity_id = opp;
    a.lead_id = lead;
    a.summary = std::move(summary);
    a.outcome = std::move(outcome);
    d_.activities.push_back(std::move(a));
  }

  // --- opportunities ----------------------------------------------------------------------------
  std::vector<Opportunity> pending_opps_;  // made by lead conversion, histories filled below

  EvidenceRef evidence(int stage, const Id& by, Instant at, const std::string& tag) {
    const StageDef& def = d_.settings.stages[static_cast<size_t>(stage)];
    EvidenceRef e;
    e.sha256 = sha256_like();
    e.kind = def.evidence_kinds.empty() ? "凭证" : def.evidence_kinds[0];
    const bool pdf = stage != 2 && rng_.chance(700);
    e.mime_type = pdf ? "application/pdf" : "image/jpeg";
    e.file_name = def.name_zh + "-" + tag + (pdf ? ".pdf" : ".jpg");
    e.size_bytes = rng_.between(80'000, 3'500'000);
    e.uploaded_by = by;
    e.uploaded_at = at;
    return e;
  }

  void make_opportunities() {
    const int n_random = p_.opportunities - static_cast<int>(pending_opps_.size());
    std::vector<Opportunity> opps = std::move(pending_opps_);
    for (int i = 0; i < n_random; ++i) {
      const size_t ci = rng_.below(d_.customers.size());
      const Customer& c = d_.customers[ci];
      Opportunity o;
      const Instant created = rng_.chance(500) ? c.meta.created_at + between(6 * kHour, 20 * kDay)
                                               : between(c.meta.created_at + 6 * kHour, now_ - kHour);
      if (created >= now_ - kHour) { --i; continue; }
      o.meta.id = new_id(created);
      o.meta.owner_id = c.meta.owner_id;
      o.meta.created_at = created;
      o.customer_id = c.meta.id;
      StageVisit first;
      first.stage = 0;
      first.entered_at = created;
      first.entered_by = c.meta.owner_id;
      o.stages.push_back(first);
      opps.push_back(std::move(o));
    }
    std::map<Id, const Customer*> customers;
    for (const auto& c : d_.customers) customers[c.meta.id] = &c;
    d_.opportunities.reserve(opps.size());
    for (auto& o : opps) develop(o, *customers.at(o.customer_id));
  }

  // Plays one opportunity forward from its first stage: dwell times, evidence, activities, the
  // quote → contract → invoice → payment trail, until it is won, lost, or `now` is reached.
  void develop(Opportunity o, const Customer& c) {
    const Id owner = o.meta.owner_id;
    const User& rep = user(owner);
    const int n_stages = static_cast<int>(d_.settings.stages.size());
    // product choice by customer type
    auto choices = products_for_type(c.tags.at("customer_type"));
    const int n_products = 1 + static_cast<int>(rng_.below(rng_.chance(700) ? 1 : 3));
    std::vector<int> prods;
    for (int k = 0; k < n_products; ++k) {
      int pi = choices[rng_.below(choices.size())];
      if (std::find(prods.begin(), prods.end(), pi) == prods.end()) prods.push_back(pi);
    }
    for (int pi : prods) o.product_ids.push_back(d_.products[static_cast<size_t>(pi)].id);
    if (o.title.empty()) o.title = c.name + " " + d_.products[static_cast<size_t>(prods[0])].name + "采购";
    // intended fate
    int fate = static_cast<int>(rng_.below(100));  // <38 won, <55 lost, else open
    // Old opportunities have long been decided: only the last ~6 weeks' stay open (a live board).
    if (fate >= 55 && o.meta.created_at < now_ - 40 * kDay) fate = static_cast<int>(rng_.below(55));
    const int lost_at = static_cast<int>(rng_.below(static_cast<std::uint64_t>(n_stages - 1)));
    const int open_target = static_cast<int>(rng_.below(static_cast<std::uint64_t>(n_stages)));
    const int target = fate < 38 ? n_stages : fate < 55 ? lost_at : open_target;

    std::vector<QuoteLineRequest> lines;
    for (int pi : prods) {
      const auto& def = product_defs()[static_cast<size_t>(pi)];
      const std::int64_t qty = def.price_yuan > 100000 ? 1 : def.price_yuan > 10000 ? rng_.between(1, 4) : rng_.between(5, 120);
      const int disc = rng_.chance(750) ? static_cast<int>(rng_.between(0, 10)) * 100 : static_cast<int>(rng_.between(11, 18)) * 100;
      lines.push_back({d_.products[static_cast<size_t>(pi)].id, qty, disc});
    }
    Money gross;
    for (const auto& l : lines) gross += Money{list_price_on(l.product_id, beijing_date(o.meta.created_at)).fen * l.quantity};
    o.expected_amount = gross;

    Quote* quote = nullptr;
    size_t quote_index = 0;
    Contract* contract = nullptr;
    size_t contract_index = 0;
    std::vector<size_t> invoice_indices;
    Instant t = o.stages.back().entered_at;
    const std::string tag = std::to_string(d_.opportunities.size() + 1);
    bool went_back = false;

    for (int stage = 0;; ) {
      StageVisit& cur = o.stages.back();
      // dwell: mostly 0.5–3 days, a tail of slow stays (stalls)
      const Instant dwell = rng_.chance(800) ? between(8 * kHour, 72 * kHour) : between(3 * kDay, 20 * kDay);
      const Instant leave = t + dwell;
      stage_activities(o, c, stage, t, std::min(leave, now_));
      // R11: stall reminders already sent for a long stay (never beyond the policy)
      const StageDef& def = d_.settings.stages[static_cast<size_t>(stage)];
      const Instant stay_end = std::min(leave, now_);
      if (stay_end - t > def.stall_hours * kHour) {
        cur.level1_sent_at = t + def.stall_hours * kHour;
        if (stay_end - cur.level1_sent_at > d_.settings.escalation_hours * kHour) cur.level2_sent_at = cur.level1_sent_at + d_.settings.escalation_hours * kHour;
        if (rng_.chance(600)) {
          cur.acknowledged_at = cur.level1_sent_at + between(10 * kMinute, 6 * kHour);
          if (cur.acknowledged_at > stay_end) cur.acknowledged_at = stay_end;
          cur.acknowledged_by = owner;
        }
      }
      // stage side effects that happen while in the stage
      if (stage == 2 && !quote) {
        const Instant qt = std::min(t + between(kHour, 12 * kHour), now_ - kMinute);
        QuoteRequest qr;
        qr.quote_id = new_id(qt);
        qr.code = "BJ-" + std::to_string(today_.year) + "-" + std::to_string(++quote_seq_);
        qr.owner_id = owner;
        qr.customer_id = c.meta.id;
        qr.opportunity_id = o.meta.id;
        qr.quote_date = beijing_date(qt);
        qr.lines = lines;
        auto q = build_quote(qr, d_.price_lists, d_.products, d_.settings, qt);
        if (q) {
          auto submitted = submit_quote(q.value, d_.settings, qt + 10 * kMinute);
          Quote qq = submitted.value;
          if (qq.status == QuoteStatus::PendingApproval && (leave < now_ || rng_.chance(500))) {
            const User& mgr = user(team_manager(rep.team_id));
            qq = approve_quote(qq, mgr, rep, std::min(qt + between(kHour, 20 * kHour), now_ - 1), "折扣在区域授权范围内").value;
          }
          if (qq.status == QuoteStatus::Approved && (leave < now_ || rng_.chance(500))) {
            qq = mark_quote_sent(qq, std::min(qq.approved_at + between(10 * kMinute, 3 * kHour), now_ - 1)).value;
            add_activity(ActivityKind::QuoteSent, qq.meta.updated_at, owner, c.meta.id, o.meta.id, "", "发送报价单 " + qq.code, "");
          }
          o.expected_amount = quote_totals(qq).net;
          quote_index = d_.quotes.size();
          d_.quotes.push_back(std::move(qq));
          quote = &d_.quotes[quote_index];
        }
      }
      if (stage == 3 && quote && !contract && (quote->status == QuoteStatus::Sent || quote->status == QuoteStatus::Approved)) {
        const Instant ct = std::min(t + between(kHour, 24 * kHour), now_ - kMinute);
        auto k = contract_from_quote(*quote, new_id(ct), "HT-" + std::to_string(today_.year) + "-" + std::to_string(++contract_seq_), ct);
        if (k) {
          contract_index = d_.contracts.size();
          d_.contracts.push_back(k.value);
          contract = &d_.contracts[contract_index];
          add_activity(ActivityKind::ContractSent, ct, owner, c.meta.id, o.meta.id, "", "发送合同 " + contract->code, "");
        }
      }
      const bool leaves = leave < now_ && stage < target;
      if (!leaves) {
        if (stage == target && fate >= 38 && fate < 55 && leave < now_) {
          o.status = OpportunityStatus::Lost;
          o.close_reason = pick(kLostReasons);
          o.closed_at = leave;
          cur.left_at = leave;
          if (quote && quote->status == QuoteStatus::PendingApproval) {
            const User& mgr = user(team_manager(rep.team_id));
            *quote = reject_quote(*quote, mgr, rep, leave, "折扣超出授权，客户已选择其他方案").value;
          }
        }
        break;
      }
      // leaving: the evidence of this stage's work (R10)
      cur.evidence.push_back(evidence(stage, owner, leave - between(5 * kMinute, 2 * kHour), tag));
      cur.left_at = leave;
      if (stage == 3 && contract && contract->status == ContractStatus::Draft) {
        *contract = sign_contract(*contract, beijing_date(leave), leave).value;
        // invoice request(s) right after signing
        const int parts = rng_.chance(300) ? 2 : 1;
        Money remaining = contract->amount;
        for (int part = 0; part < parts && remaining.fen > 0; ++part) {
          const Money amount = part + 1 == parts ? remaining : Money{mul_div_round(contract->amount.fen, 30, 100)};
          const Instant rt = leave + between(kHour, 3 * kDay);
          if (rt >= now_) break;
          InvoiceRequest ir{new_id(rt), "FP-" + std::to_string(today_.year) + "-" + std::to_string(++invoice_seq_), amount, beijing_date(rt)};
          std::vector<Invoice> existing;
          for (size_t ii : invoice_indices) existing.push_back(d_.invoices[ii]);
          auto inv = request_invoice(*contract, existing, ir, d_.settings, rt);
          if (!inv) break;
          Invoice invoice = inv.value;
          const Instant it = rt + between(kHour, 2 * kDay);
          if (it < now_) invoice = issue_invoice(invoice, beijing_date(it), d_.settings, it).value;
          invoice_indices.push_back(d_.invoices.size());
          d_.invoices.push_back(invoice);
          remaining -= amount;
        }
      }
      if (stage == n_stages - 1) {
        // won: the first payment arrived (the bank slip was the evidence)
        o.status = OpportunityStatus::Won;
        o.closed_at = leave;
        o.close_reason = "首付款到账";
        pay_invoices(invoice_indices, owner, leave);
        break;
      }
      // occasionally step back once, with a reason (R10: allowed with a reason)
      if (!went_back && stage >= 1 && rng_.chance(40)) {
        went_back = true;
        StageVisit back;
        back.stage = stage - 1;
        back.entered_at = leave;
        back.entered_by = owner;
        back.reason = pick(kBackReasons);
        o.stages.push_back(back);
        t = leave;
        stage = stage - 1;
        continue;
      }
      StageVisit next;
      next.stage = stage + 1;
      next.entered_at = leave;
      next.entered_by = owner;
      o.stages.push_back(next);
      t = leave;
      ++stage;
    }
    if (contract && o.status == OpportunityStatus::Won) o.expected_amount = contract->amount;
    o.meta.updated_at = std::max(o.meta.created_at, o.closed_at ? o.closed_at : o.stages.back().entered_at);
    o.meta.version = static_cast<std::int64_t>(o.stages.size());
    d_.opportunities.push_back(std::move(o));
  }

  Id team_manager(const Id& team_id) {
    for (const auto& t : d_.teams)
      if (t.id == team_id) return t.manager_id;
    return d_.users[0].id;  // admin
  }

  // First payment on the win; later instalments mostly on time, some late, some still open.
  void pay_invoices(const std::vector<size_t>& indices, const Id& owner, Instant won_at) {
    for (size_t n = 0; n < indices.size(); ++n) {
      Invoice& inv = d_.invoices[indices[n]];
      Instant at = n == 0 ? won_at : won_at + between(10 * kDay, 70 * kDay);
      if (n > 0 && rng_.chance(250)) continue;  // still open → may be overdue
      if (at >= now_) continue;
      std::vector<Payment> existing;
      Money open = inv.amount;
      // a first payment can be a deposit (首付款): 40–100 % of the invoice
      Money amount = n == 0 && rng_.chance(300) ? Money{mul_div_round(inv.amount.fen, rng_.between(40, 90), 100)} : open;
      Payment p;
      p.meta.id = new_id(at);
      p.meta.owner_id = owner;
      p.meta.created_at = at;
      p.amount = amount;
      p.received_on = beijing_date(at);
      p.method = rng_.chance(850) ? "银行转账" : "银行承兑汇票";
      p.reference = "HD" + std::to_string(rng_.between(100000000, 999999999));
      auto r = record_payment(inv, existing, p, at);
      if (!r) continue;
      inv = r.value.invoice;
      d_.payments.push_back(r.value.payment);
      if (amount < open) {  // the balance follows later (or not yet)
        const Instant later = at + between(15 * kDay, 60 * kDay);
        if (later < now_ && rng_.chance(800)) {
          Payment rest = p;
          rest.meta.id = new_id(later);
          rest.meta.created_at = later;
          rest.amount = open - amount;
          rest.received_on = beijing_date(later);
          rest.reference = "HD" + std::to_string(rng_.between(100000000, 999999999));
          auto r2 = record_payment(inv, {r.value.payment}, rest, later);
          if (r2) {
            inv = r2.value.invoice;
            d_.payments.push_back(r2.value.payment);
          }
        }
      }
    }
  }

  void stage_activities(const Opportunity& o, const Customer& c, int stage, Instant from, Instant to) {
    if (to <= from) return;
    if (large_ && rng_.chance(350)) return;  // the large scale aims at ~5 activities per opportunity
    const Id& owner = o.meta.owner_id;
    switch (stage) {
      case 0:
        add_activity(ActivityKind::Visit, between(from, to), owner, c.meta.id, o.meta.id, "", "拜访" + c.decision_maker_title + c.decision_maker + "，确认需求", "需求已确认");
        break;
      case 1:
        add_activity(ActivityKind::ProposalSent, between(from, to), owner, c.meta.id, o.meta.id, "", "发送产品方案", "");
        if (rng_.chance(500)) add_activity(ActivityKind::Demo, between(from, to), owner, c.meta.id, o.meta.id, "", "现场产品演示", "科室反馈良好");
        break;
      case 2:
        if (rng_.chance(600)) add_activity(ActivityKind::ObjectionHandled, between(from, to), owner, c.meta.id, o.meta.id, "", "处理价格异议", "同意按阶梯折扣");
        break;
      case 3:
        if (rng_.chance(400)) add_activity(ActivityKind::ObjectionHandled, between(from, to), owner, c.meta.id, o.meta.id, "", "处理合同条款异议（付款周期）", "");
        break;
      default:
        add_activity(ActivityKind::PaymentChased, between(from, to), owner, c.meta.id, o.meta.id, "", "跟进首付款", "财务已走流程");
    }
    // R24: an outbound message, usually answered within a day
    if (rng_.chance(large_ ? 250 : 700)) {
      const Instant sent = between(from, to);
      add_activity(ActivityKind::MessageSent, sent, owner, c.meta.id, o.meta.id, "", "微信发送资料", "");
      if (rng_.chance(800)) add_activity(ActivityKind::ReplyReceived, sent + between(10 * kMinute, 20 * kHour), owner, c.meta.id, o.meta.id, "", "客户回复", "");
    }
  }

  // The last four weeks of field work (scorecard #9: effective touches per rep per week).
  void make_recent_field_work() {
    std::vector<std::vector<size_t>> customers_of(d_.users.size());
    std::map<Id, size_t> idx = {};
    for (size_t i = 0; i < d_.users.size(); ++i) idx[d_.users[i].id] = i;
    for (size_t i = 0; i < d_.customers.size(); ++i) customers_of[idx[d_.customers[i].meta.owner_id]].push_back(i);
    static const ActivityKind kinds[] = {ActivityKind::Visit, ActivityKind::ProposalSent, ActivityKind::Demo, ActivityKind::QuoteSent, ActivityKind::Call};
    static const char* const kSummaries[] = {"上门拜访", "发送方案", "产品演示", "发送报价", "电话沟通"};
    const int per_week = large_ ? 30 : 15;
    for (size_t u = 0; u < d_.users.size(); ++u) {
      if (d_.users[u].role != Role::Rep || !d_.users[u].active || customers_of[u].empty()) continue;
      for (int week = 0; week < 4; ++week) {
        const Instant week_start = now_ - (week + 1) * 7 * kDay;
        const int n = per_week - 4 + static_cast<int>(rng_.below(9));
        for (int k = 0; k < n; ++k) {
          const Customer& c = d_.customers[pick(customers_of[u])];
          const int kind = static_cast<int>(rng_.below(5));
          // working hours, Beijing: 09:00–18:00
          const Date day = beijing_date(week_start + static_cast<Instant>(rng_.below(7)) * kDay);
          const Instant at = beijing_midnight(day) + between(9 * kHour, 18 * kHour);
          add_activity(kinds[kind], at, d_.users[u].id, c.meta.id, "", "", kSummaries[kind], "");
        }
        if (rng_.chance(300)) {  // some days only a free-text note (scorecard #3 counts these)
          const Customer& c = d_.customers[pick(customers_of[u])];
          add_activity(ActivityKind::Note, beijing_midnight(beijing_date(week_start + 2 * kDay)) + 19 * kHour, d_.users[u].id, c.meta.id, "", "", "已沟通，待跟进", "");
        }
      }
    }
  }

  // Top up to the scale's activity count with ordinary calls, visits and messages on customers.
  void make_filler_activities() {
    static const ActivityKind kinds[] = {ActivityKind::Call, ActivityKind::Visit, ActivityKind::MessageSent, ActivityKind::Call, ActivityKind::Note};
    static const char* const kSummaries[] = {"电话回访", "例行拜访", "微信问候", "确认到货情况", "备注"};
    while (static_cast<int>(d_.activities.size()) < p_.activities) {
      const Customer& c = d_.customers[rng_.below(d_.customers.size())];
      const int kind = static_cast<int>(rng_.below(5));
      add_activity(kinds[kind], between(c.meta.created_at, now_ - kMinute), c.meta.owner_id, c.meta.id, "", "", kSummaries[kind], "");
    }
  }

  // R22: targets a little above what each rep actually collects (so achievement varies ~60–110 %).
  void make_targets() {
    std::map<std::pair<Id, std::string>, Money> collected;
    for (const auto& p : d_.payments) collected[{p.meta.owner_id, month_key(p.received_on)}] += p.amount;
    for (const auto& u : d_.users) {
      if (u.role != Role::Rep || !u.active) continue;
      Money total;
      for (int m = 1; m <= 6; ++m) total += collected[{u.id, month_key(add_months(today_, -m))}];
      const std::int64_t avg = total.fen / 6;
      for (int m = 0; m <= 6; ++m) {
        CollectionTarget t;
        const Date month = add_months(Date{today_.year, today_.month, 1}, -m);
        t.id = new_id(beijing_midnight(month));
        t.month = month_key(month);
        t.rep_id = u.id;
        std::int64_t fen = mul_div_round(avg, rng_.between(95, 135), 100);
        fen = std::max<std::int64_t>(5'000'000, (fen + 5'000'000) / 10'000'000 * 10'000'000);  // round to ¥100k, at least ¥50k
        t.amount = Money{fen};
        d_.collection_targets.push_back(t);
      }
    }
  }

  // R28: former1 left 90 days ago; his customers went to rep1 with the handover recorded.
  void make_handover_history() {
    const User& former = d_.users.back();
    const Id rep1 = d_.users[static_cast<size_t>(reps_of_team_[0][0])].id;
    const Id manager1 = d_.teams[0].manager_id;
    const Instant at = now_ - 90 * kDay;
    int moved = 0;
    for (auto& c : d_.customers) {
      if (moved >= (large_ ? 200 : 15)) break;
      if (c.meta.owner_id != rep1 || c.meta.created_at > at - 30 * kDay) continue;
      c.owner_history.push_back({rep1, former.id, c.meta.created_at + kHour, manager1, "reassign"});
      c.owner_history.push_back({former.id, rep1, at, manager1, "handover"});
      ++moved;
    }
  }
};

}  // namespace

Dataset generate(Scale scale, std::uint64_t seed, Instant now) { return Generator(scale, seed, now).run(); }

}  // namespace cl::demo
