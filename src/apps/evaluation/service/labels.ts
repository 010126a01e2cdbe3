/**
 * Display names for codes the figures carry (pure data, shared with the console): GB/T 4754-2017
 * manufacturing divisions (13–43), and the districts of the demo city 清河市 (made-up codes, docs/DATA.md).
 * An unknown code is shown as it is.
 */
export const industryDivisionNames: Readonly<Record<string, string>> = {
  '13': '农副食品加工业',
  '14': '食品制造业',
  '15': '酒、饮料和精制茶制造业',
  '16': '烟草制品业',
  '17': '纺织业',
  '18': '纺织服装、服饰业',
  '19': '皮革、毛皮、羽毛及其制品和制鞋业',
  '20': '木材加工和木、竹、藤、棕、草制品业',
  '21': '家具制造业',
  '22': '造纸和纸制品业',
  '23': '印刷和记录媒介复制业',
  '24': '文教、工美、体育和娱乐用品制造业',
  '25': '石油、煤炭及其他燃料加工业',
  '26': '化学原料和化学制品制造业',
  '27': '医药制造业',
  '28': '化学纤维制造业',
  '29': '橡胶和塑料制品业',
  '30': '非金属矿物制品业',
  '31': '黑色金属冶炼和压延加工业',
  '32': '有色金属冶炼和压延加工业',
  '33': '金属制品业',
  '34': '通用设备制造业',
  '35': '专用设备制造业',
  '36': '汽车制造业',
  '37': '铁路、船舶、航空航天和其他运输设备制造业',
  '38': '电气机械和器材制造业',
  '39': '计算机、通信和其他电子设备制造业',
  '40': '仪器仪表制造业',
  '41': '其他制造业',
  '42': '废弃资源综合利用业',
  '43': '金属制品、机械和设备修理业',
};

export type Lang = 'zh' | 'en';

/** The same divisions in English (after the statistics bureau's English classification). */
export const industryDivisionNamesEn: Readonly<Record<string, string>> = {
  '13': 'Processing of food from agricultural products',
  '14': 'Manufacture of foods',
  '15': 'Manufacture of liquor, beverages and refined tea',
  '16': 'Manufacture of tobacco',
  '17': 'Manufacture of textiles',
  '18': 'Manufacture of textile garments and apparel',
  '19': 'Manufacture of leather, fur, feather and footwear',
  '20': 'Processing of timber, wood, bamboo, rattan, palm and straw products',
  '21': 'Manufacture of furniture',
  '22': 'Manufacture of paper and paper products',
  '23': 'Printing and reproduction of recording media',
  '24': 'Manufacture of articles for culture, education, arts, sports and entertainment',
  '25': 'Processing of petroleum, coal and other fuels',
  '26': 'Manufacture of chemical raw materials and chemical products',
  '27': 'Manufacture of medicines',
  '28': 'Manufacture of chemical fibres',
  '29': 'Manufacture of rubber and plastic products',
  '30': 'Manufacture of non-metallic mineral products',
  '31': 'Smelting and pressing of ferrous metals',
  '32': 'Smelting and pressing of non-ferrous metals',
  '33': 'Manufacture of metal products',
  '34': 'Manufacture of general-purpose machinery',
  '35': 'Manufacture of special-purpose machinery',
  '36': 'Manufacture of automobiles',
  '37': 'Manufacture of railway, ship, aerospace and other transport equipment',
  '38': 'Manufacture of electrical machinery and equipment',
  '39': 'Manufacture of computers, communication and other electronic equipment',
  '40': 'Manufacture of measuring instruments',
  '41': 'Other manufacturing',
  '42': 'Comprehensive use of waste resources',
  '43': 'Repair of metal products, machinery and equipment',
};

/** The demo districts in English (pinyin, as the city writes them). */
export const districtNamesEn: Readonly<Record<string, string>> = {
  '339102': 'Qinghe District',
  '339103': 'Qinglong District',
  '339104': 'Taoyuan District',
  '339105': 'Xingang District',
  '339121': 'Baisha County',
  '339181': 'Linxi City',
};

export const districtNames: Readonly<Record<string, string>> = {
  '339102': '清河区',
  '339103': '青龙区',
  '339104': '桃源区',
  '339105': '新港区',
  '339121': '白沙县',
  '339181': '临溪市',
};

export function districtName(code: string, lang: Lang = 'zh'): string {
  return (lang === 'en' ? districtNamesEn : districtNames)[code] ?? code;
}

export function industryName(codeOrDivision: string, lang: Lang = 'zh'): string {
  const names = lang === 'en' ? industryDivisionNamesEn : industryDivisionNames;
  return names[codeOrDivision.slice(0, 2)] ?? codeOrDivision;
}

/** Not-graded reasons the engine itself produces (the methodology's exclusions carry their own labels). */
export const reasonLabels: Readonly<Record<string, string>> = {
  OUT_OF_SCOPE_STATUS: '登记状态非存续',
  OUT_OF_SCOPE_INDUSTRY: '非评价行业',
  NEW_ENTERPRISE: '新注册企业',
  NO_INDUSTRIAL_LAND: '无自有工业用地',
  NEW_LAND: '新供地企业',
  LAND_BELOW_MINIMUM: '用地面积不足',
  INCOMPLETE_DATA: '数据不全',
  NO_GROUP: '不属于任何评价组',
};

/** The figures an evaluation reads, by name (缺失数据 in the workbook and the console). */
export const inputLabels: Readonly<Record<string, string>> = {
  tax: '实缴税收',
  value_added: '工业增加值',
  main_revenue: '主营业务收入',
  rd_expense: '研发经费支出',
  energy_tce: '综合能耗',
  employees: '月均参保人数',
  land_mu: '工业用地面积',
  kwh: '用电量',
  emission: '主要污染物排放量',
};

/** The not-graded reasons in English. */
export const reasonLabelsEn: Readonly<Record<string, string>> = {
  OUT_OF_SCOPE_STATUS: 'Not in business',
  OUT_OF_SCOPE_INDUSTRY: 'Industry not evaluated',
  NEW_ENTERPRISE: 'Newly registered',
  NO_INDUSTRIAL_LAND: 'No industrial land of its own',
  NEW_LAND: 'Newly granted land',
  LAND_BELOW_MINIMUM: 'Land below the minimum',
  INCOMPLETE_DATA: 'Incomplete data',
  NO_GROUP: 'In no evaluation group',
};

/** The methodology's groups (规上/规下: above or below the statistical size threshold) in English. */
export const groupLabelsEn: Readonly<Record<string, string>> = {
  规上: 'Above size',
  规下: 'Below size',
};
