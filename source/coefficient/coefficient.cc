#include <deal.II/base/quadrature.h>

#include <deal.II/fe/fe.h>
#include <deal.II/fe/mapping_q1.h>

#include <mollifem/coefficient/coefficient.h>

namespace mollifem
{
  template <int dim>
  void
  CoefficientField<dim>::interpolate(const DoFHandler<dim> &dof_handler,
                                     LA::Vector &           owned) const
  {
    const FiniteElement<dim> &fe = dof_handler.get_fe();
    AssertThrow(fe.n_components() == 1 && fe.has_support_points(),
                ExcMessage("A coefficient can only be interpolated into a "
                           "scalar Lagrange element."));
    const Quadrature<dim> support_points(fe.get_unit_support_points());
    FEValues<dim>         fe_values(fe, support_points, update_quadrature_points);

    std::vector<double>                  q(support_points.size());
    std::vector<types::global_dof_index> dof_indices(fe.n_dofs_per_cell());
    const IndexSet &owned_dofs = owned.locally_owned_elements();
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          fe_values.reinit(cell);
          values(fe_values, q);
          cell->get_dof_indices(dof_indices);
          for (unsigned int i = 0; i < dof_indices.size(); ++i)
            if (owned_dofs.is_element(dof_indices[i]))
              owned[dof_indices[i]] = q[i];
        }
    owned.compress(VectorOperation::insert);
  }



  template <int dim>
  void
  ParametricCoefficient<dim>::finish_gradient(LA::Vector &) const
  {}



  template class CoefficientField<1>;
  template class CoefficientField<2>;
  template class CoefficientField<3>;
  template class ParametricCoefficient<1>;
  template class ParametricCoefficient<2>;
  template class ParametricCoefficient<3>;
} // namespace mollifem
